SELECT * FROM VALUES('s SimpleAggregateFunction(sum, UInt64), l SimpleAggregateFunction(anyLast, Nullable(String)), g SimpleAggregateFunction(groupArrayArray, Array(UInt8))',
 (0, NULL, []), (18446744073709551615, 'x', [1, 2]))
