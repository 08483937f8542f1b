SELECT toIntervalNanosecond(-1) AS ns, toIntervalSecond(9223372036854775807) AS s, toIntervalDay(3) AS d, toIntervalYear(-9223372036854775808) AS y, toIntervalQuarter(0) AS q
