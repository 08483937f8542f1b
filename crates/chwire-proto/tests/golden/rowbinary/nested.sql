SELECT CAST(n, 'Nested(a UInt32, b String)') AS n, n_flat_a AS `n_flat.a`, n_flat_b AS `n_flat.b` FROM VALUES('n Array(Tuple(a UInt32, b String)), n_flat_a Array(UInt32), n_flat_b Array(String)',
 ([], [], []),
 ([(1, 'x'), (2, 'yy')], [1, 2], ['x', 'yy']))
