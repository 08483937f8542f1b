SELECT * FROM VALUES('t Tuple(UInt8, String), nt Tuple(a Int32, b Array(String)), m Map(String, UInt64), mn Map(String, Array(Nullable(UInt8))), tt Tuple(x Tuple(y Nullable(String), z Float64), w Map(UInt8, String))',
 ((1, 'a'), (-1, []), map(), map(), ((NULL, 0.5), map())),
 ((255, ''), (2147483647, ['x', 'yz']), map('k1', 1, 'k2', 18446744073709551615), map('a', [1, NULL], 'b', []), (('s', -1.5), map(1, 'one', 2, 'two'))))
