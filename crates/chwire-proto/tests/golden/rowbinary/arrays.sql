SELECT * FROM VALUES('a Array(UInt8), aa Array(Array(String)), an Array(Nullable(Int32)), aaa Array(Array(Array(UInt16)))',
 ([], [], [], []),
 ([1, 2, 3], [[], ['a'], ['b', 'cd', '']], [NULL, 1, NULL, -1], [[[]], [[1], [2, 3]], []]),
 ([255], [[]], [NULL], [[], [[65535]]]))
