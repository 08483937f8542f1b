SELECT number n, number * 0.5 f, toString(number) s, if(number % 3 = 0, NULL, number)::Nullable(UInt32) nu FROM numbers(5000) SETTINGS max_block_size=100000
