SELECT d, ad FROM (
 SELECT 1 AS k, NULL::Dynamic AS d, []::Array(Dynamic) AS ad
 UNION ALL SELECT 2, 42::Int64::Dynamic, [1::UInt8::Dynamic, 'a'::String::Dynamic, NULL::Dynamic]
 UNION ALL SELECT 3, 'str'::Dynamic, [[1, 2]::Array(UInt16)::Dynamic, map('k', 1.5)::Map(String, Float64)::Dynamic]
 UNION ALL SELECT 4, [1, 2]::Array(Int32)::Dynamic, [(1, 'x')::Tuple(a UInt8, b String)::Dynamic, toDateTime64('2024-01-01 00:00:00.123', 3, 'UTC')::Dynamic]
 UNION ALL SELECT 5, toDecimal64('3.14', 2)::Dynamic, [toUUID('00112233-4455-6677-8899-aabbccddeeff')::Dynamic, true::Dynamic, toIPv4('1.2.3.4')::Dynamic]
 UNION ALL SELECT 6, CAST('b', 'Enum8(\'a\' = 1, \'b\' = -2)')::Dynamic, [toNullable(7::UInt32)::Dynamic, toFixedString('ab', 2)::Dynamic, toDateTime(1, 'Asia/Tokyo')::Dynamic]
 UNION ALL SELECT 7, (1.5, 2.5)::Point::Dynamic, [[[(0., 0.), (1., 0.)]]::Polygon::Dynamic, INTERVAL 3 DAY::Dynamic, toDate('2024-01-01')::Dynamic, toBFloat16(1.5)::Dynamic, 5::Variant(String, UInt64)::Dynamic]
) ORDER BY k
