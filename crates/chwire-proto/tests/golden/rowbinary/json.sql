SELECT j, jt FROM VALUES('j JSON, jt JSON(max_dynamic_paths = 10, a.b UInt32, SKIP c, SKIP REGEXP \'x.*\')',
 ('{}', '{}'),
 ('{"k":"v"}', '{"a":{"b":7},"c":1,"xy":2,"d":"keep"}'),
 ('{"n":{"m":[1,2,3]}}', '{"a":{"b":4294967295}}'),
 ('{"f":1.5}', '{"e":[{"x":1}]}'))
