SELECT j FROM h_native.js_shared ORDER BY id
