SELECT arrayJoin([0, 1, 2]) AS k, [[], [1], [1, 2, 3]][k+1]::Array(UInt8) a, [[], [['a', 'b'], []], [['c']]][k+1] aa, [[], [NULL, 1], [2, NULL]][k+1]::Array(Nullable(Int32)) an
