SELECT * FROM VALUES('q32 QBit(Float32, 3), q16 QBit(BFloat16, 2), q64 QBit(Float64, 4)',
 ([1.0, -2.5, 0.0], [1.5, -0.0], [1.0, 2.0, 3.0, 4.0]),
 ([inf, -inf, 3.4028234663852886e38], [0.0, 0.0], [-1.0, 0.5, 1.7976931348623157e308, 0.0]))
SETTINGS allow_experimental_qbit_type = 1
