SELECT number AS id, toString(number * 7) AS name, CAST(range(number % 4), 'Array(UInt64)') AS list FROM numbers(50)
FORMAT RowBinaryWithNamesAndTypes
