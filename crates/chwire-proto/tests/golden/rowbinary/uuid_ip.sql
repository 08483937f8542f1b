SELECT * FROM VALUES('u UUID, v4 IPv4, v6 IPv6',
 (toUUID('00112233-4455-6677-8899-aabbccddeeff'), toIPv4('1.2.3.4'), toIPv6('2001:db8::1')),
 (toUUID('00000000-0000-0000-0000-000000000000'), toIPv4('0.0.0.0'), toIPv6('::')),
 (toUUID('ffffffff-ffff-ffff-ffff-ffffffffffff'), toIPv4('255.255.255.255'), toIPv6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')),
 (toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0'), toIPv4('192.168.0.1'), toIPv6('::ffff:192.168.0.1')))
