SELECT * FROM VALUES('f32 Float32, f64 Float64, bf16 BFloat16',
 (nan, nan, nan), (inf, inf, inf), (-inf, -inf, -inf), (-0., -0., -0.),
 (3.4028234663852886e38, 1.7976931348623157e308, 1.5), (1.0e-45, 5.0e-324, -2.5))
