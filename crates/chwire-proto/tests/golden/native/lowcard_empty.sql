SELECT ([]::Array(LowCardinality(String))) e, toLowCardinality('a') one
