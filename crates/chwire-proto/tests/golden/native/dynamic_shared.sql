SELECT d FROM h_native.dyn_shared ORDER BY id
