SELECT repeat('abcdefghij', 10240) AS s, toFixedString(repeat('z', 1000), 1000) AS fs
