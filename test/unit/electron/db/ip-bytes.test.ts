import { SocketAddress } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipBytes, ipText } from '../../../../electron/db/ip-bytes.ts';

describe('source IPs stored as bytes', () => {
  it('property: an IPv4 address is 4 bytes and reads back as written', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      const stored = ipBytes(ip) as Buffer;
      expect([stored.length, ipText(stored)]).toEqual([4, ip]);
    }));
  });

  it('property: an IPv6 address is 16 bytes and reads back in its canonical form (RFC 5952), whatever the spelling', () => {
    fc.assert(fc.property(fc.ipV6(), fc.boolean(), (ip, upper) => {
      const written = upper ? ip.toUpperCase() : ip;
      const stored = ipBytes(written) as Buffer;
      expect([stored.length, ipText(stored)]).toEqual([16, new SocketAddress({ address: ip, family: 'ipv6' }).address]);
    }));
  });

  it('keeps the IPv4-mapped form, and keeps text that is not an address unchanged', () => {
    expect((ipBytes('::ffff:192.0.2.7') as Buffer).toString('hex')).toBe('00000000000000000000ffffc0000207');
    expect(ipText(ipBytes('::FFFF:c000:207'))).toBe('::ffff:192.0.2.7');
    expect(ipText(ipBytes('2001:0DB8:0000::0001'))).toBe('2001:db8::1');
    expect(ipBytes('not an address')).toBe('not an address');
    expect(ipText('not an address')).toBe('not an address');
  });
});
