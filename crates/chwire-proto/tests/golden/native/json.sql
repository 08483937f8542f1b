SELECT j FROM h_native.js ORDER BY id
