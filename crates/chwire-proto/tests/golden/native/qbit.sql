SELECT [1.0, -2.0, 3.5]::QBit(Float32, 3) q32, [1.0, 0.5, -0.25, 8, 9, 10, 11, 12, 13]::QBit(Float64, 9) q64, [1.0, 2.0]::QBit(BFloat16, 2) q16 SETTINGS allow_experimental_qbit_type=1
