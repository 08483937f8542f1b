SELECT NULL AS n, [] AS e, [NULL, NULL] AS an, map() AS m
