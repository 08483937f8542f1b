SELECT * FROM VALUES('v Variant(String, UInt64, Array(UInt8)), vn Array(Variant(Int8, Bool))',
 (NULL, []), ('text', [1, true, NULL]), (42, [NULL]), ([1, 2], [-128, false]))
SETTINGS allow_suspicious_variant_types = 1
