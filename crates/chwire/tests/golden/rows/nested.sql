SELECT CAST([(1, 'x'), (2, 'y')], 'Nested(a UInt8, b String)') AS n, CAST(map('a', [1, 2]), 'Map(LowCardinality(String), Array(UInt16))') AS lcm
FORMAT RowBinaryWithNamesAndTypes
