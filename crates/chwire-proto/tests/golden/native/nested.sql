SELECT [(1, 'a'), (2, 'b')]::Nested(x UInt8, y String) n
