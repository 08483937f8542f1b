SELECT toIntervalDay(5) d, toIntervalMonth(-3) m, toIntervalNanosecond(123456789) ns, toIntervalYear(2) y
