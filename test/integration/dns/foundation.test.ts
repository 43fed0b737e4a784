import { describe, expect, it } from 'vitest';
import { check, withId } from './dns-fixtures.ts';

// DNS foundation checks of the catalogue (§3.1) that need only the zone's own records.
describe('DNS foundation: SOA timers and CAA', () => {
  it('flags a one-hour SOA expire as info, ignores a non-date serial, and passes a published CAA', async () => {
    const { reports } = await check(['dns-soa-timers.dlv.test', 'clean.dlv.test'], ['--test-nets', '--no-smtp']);
    const timers = reports.get('dns-soa-timers.dlv.test');
    expect(withId(timers, 'dns.soa-timers').map((f) => f.severity)).toEqual(['info']);
    expect(withId(timers, 'dns.soa-timers')[0]!.message).toContain('3600 s');
    expect(withId(timers, 'dns.caa')).toEqual([]);
    const clean = reports.get('clean.dlv.test');
    expect(withId(clean, 'dns.soa-timers')).toEqual([]);
    expect(withId(clean, 'dns.caa').map((f) => f.severity)).toEqual(['info']);
  });
});
