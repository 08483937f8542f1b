SELECT d FROM h_native.dyn ORDER BY id
