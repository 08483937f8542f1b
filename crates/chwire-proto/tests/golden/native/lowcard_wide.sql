SELECT toLowCardinality(toString(number)) lc FROM numbers(300)
