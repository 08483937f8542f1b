SELECT arrayJoin([0, 1, 2, 3]) AS k, (k % 2 = 1)::Bool AS b, ['', 'hello', repeat('long-string-', 200), 'Ünïcødé ✓'][k+1] AS s, toFixedString(['', 'ab', 'abcde', 'x'][k+1], 5) AS fs
