SELECT CAST(arrayJoin(['a', 'b', 'c']) AS Enum8('a' = 1, 'b' = -2, 'c' = 127)) e8, CAST('y', 'Enum16(\'x\' = -1000, \'y\' = 30000)') e16
