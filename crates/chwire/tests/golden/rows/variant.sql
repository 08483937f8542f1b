SELECT * FROM values('id UInt8, v Variant(String, UInt64, Array(UInt8))', (1, 'text'), (2, 42), (3, NULL), (4, [1, 2]))
SETTINGS allow_experimental_variant_type = 1
FORMAT RowBinaryWithNamesAndTypes
