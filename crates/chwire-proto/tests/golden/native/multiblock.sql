SELECT number n, toString(number) s FROM numbers(10) SETTINGS max_block_size=3
