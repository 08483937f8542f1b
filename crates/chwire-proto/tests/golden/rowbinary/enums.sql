SELECT * FROM VALUES('e8 Enum8(\'neg\' = -128, \'zero\' = 0, \'pos\' = 127), e16 Enum16(\'lo\' = -32768, \'mid\' = 300, \'hi\' = 32767)',
 ('neg', 'lo'), ('zero', 'mid'), ('pos', 'hi'))
