SELECT * FROM VALUES('b Bool, s String, fs FixedString(4)',
 (true, '', ''), (false, 'héllo ✓', 'abcd'), (true, concat('a', char(0), 'b', char(255)), concat('x', char(0))))
