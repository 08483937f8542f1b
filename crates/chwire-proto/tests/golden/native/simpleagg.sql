SELECT s, a FROM h_native.sagg ORDER BY s
