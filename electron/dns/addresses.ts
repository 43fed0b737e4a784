import { isIP } from 'node:net';

const V4_PRIVATE: readonly [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 4], [0xf0000000, 4],
];
const V4_DOC: readonly [number, number][] = [[0xc0000200, 24], [0xc6336400, 24], [0xcb007100, 24]];

function v4(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inRange(ip: number, [base, bits]: readonly [number, number]): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ip & mask) >>> 0) === base;
}

/** True for a globally routable address; `testNets` counts the RFC 5737 / RFC 3849 documentation ranges as public. */
export function isPublicAddress(ip: string, testNets = false): boolean {
  if (isIP(ip) === 4) {
    const n = v4(ip);
    if (V4_DOC.some((r) => inRange(n, r))) return testNets;
    return !V4_PRIVATE.some((r) => inRange(n, r));
  }
  if (isIP(ip) === 6) {
    const low = ip.toLowerCase();
    if (low.startsWith('2001:db8:') || low === '2001:db8::') return testNets;
    return !(low === '::1' || low === '::' || /^f[cd]/.test(low) || /^fe[89ab]/.test(low) || /^ff/.test(low) || low.startsWith('::ffff:'));
  }
  return false;
}

/** The reverse-lookup name of an address: `10.2.0.192.in-addr.arpa` or the nibble form under ip6.arpa. */
export function reverseName(ip: string): string {
  return `${reversedLabels(ip)}.${isIP(ip) === 4 ? 'in-addr' : 'ip6'}.arpa`;
}

/** The address in reversed label order, as DNSBLs expect (`10.2.0.192` or 32 nibbles). */
export function reversedLabels(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').reverse().join('.');
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.');
}
