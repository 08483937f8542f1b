SELECT * FROM values('n_u8 Nullable(UInt8), n_s Nullable(String), arr Array(UInt32), arr_n Array(Nullable(String)), tup Tuple(UInt8, String), named Tuple(a Int32, b String), m Map(String, UInt64), m_arr Map(UInt8, Array(String)), lc LowCardinality(String), lc_n LowCardinality(Nullable(String)), pt Point, ring Ring, nested Array(Array(Int16))',
 (NULL, 'x', [1, 2, 3], ['a', NULL, 'c'], (7, 'seven'), (-1, 'minus'), map('k1', 1, 'k2', 2), map(1, ['one'], 2, []), 'low', NULL, (1.5, -2.5), [(0, 0), (1, 0), (1, 1)], [[1, -2], [], [3]]),
 (200, NULL, [], [], (0, ''), (2147483647, 'max'), map(), map(), '', 'some', (0, 0), [], []))
FORMAT RowBinaryWithNamesAndTypes
