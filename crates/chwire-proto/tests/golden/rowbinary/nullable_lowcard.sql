SELECT * FROM VALUES('n64 Nullable(UInt64), ns Nullable(String), lc LowCardinality(String), lcn LowCardinality(Nullable(String)), alc Array(LowCardinality(Nullable(String))), nfs Nullable(FixedString(2))',
 (NULL, NULL, '', NULL, [NULL, 'a', NULL], NULL),
 (18446744073709551615, '', 'abc', '', [], 'ab'),
 (0, 'x', 'abc', 'lc', ['lc', 'lc', ''], toFixedString('z', 2)))
