import { describe, expect, it } from 'vitest';
import { etaSeconds, formatByteRate, formatCount, formatEta, formatMessageRate, formatOffset, formatPercent } from '../../../../../renderer/features/migrations/migration-format.ts';

describe('ETA and rate formatting', () => {
  it('formats durations from seconds to days', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(-1)).toBe('—');
    expect(formatEta(0.2)).toBe('under 1 s');
    expect(formatEta(45)).toBe('45 s');
    expect(formatEta(89)).toBe('89 s');
    expect(formatEta(12 * 60)).toBe('12 min');
    expect(formatEta(3600)).toBe('1 h');
    expect(formatEta(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatEta(2.5 * 86_400)).toBe('2.5 days');
    expect(formatEta(20 * 86_400)).toBe('20 days');
  });

  it('formats message and byte rates with sensible precision', () => {
    expect(formatMessageRate(1240.4)).toBe('1,240 msg/s');
    expect(formatMessageRate(35)).toBe('35 msg/s');
    expect(formatMessageRate(12.34)).toBe('12.3 msg/s');
    expect(formatMessageRate(3.5)).toBe('3.5 msg/s');
    expect(formatMessageRate(0.25)).toBe('0.25 msg/s');
    expect(formatMessageRate(0)).toBe('0 msg/s');
    expect(formatMessageRate(Number.NaN)).toBe('—');
    expect(formatByteRate(13 * 1_048_576)).toBe('13.0 MB/s');
    expect(formatByteRate(250 * 1_048_576)).toBe('250 MB/s');
    expect(formatByteRate(83_333)).toBe('0.08 MB/s');
    expect(formatByteRate(0)).toBe('0 MB/s');
  });

  it('never shows 100 % before the work is complete', () => {
    expect(formatPercent(0, 0)).toBe('0 %');
    expect(formatPercent(50, 200)).toBe('25 %');
    expect(formatPercent(9999, 10000)).toBe('99 %');
    expect(formatPercent(10000, 10000)).toBe('100 %');
    expect(formatPercent(12, 10)).toBe('100 %');
  });

  it('computes the time left from a rate, unknown when stalled', () => {
    expect(etaSeconds(100, 10)).toBe(10);
    expect(etaSeconds(0, 0)).toBe(0);
    expect(etaSeconds(100, 0)).toBeNull();
  });

  it('writes timeline offsets relative to the switch', () => {
    expect(formatOffset(-24 * 3600_000)).toBe('T−24 h');
    expect(formatOffset(300_000)).toBe('T+5 min');
    expect(formatOffset(0)).toBe('T');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(null)).toBe('—');
  });
});

describe('endpoint display', () => {
  it('decodes the user and separates the server', async () => {
    const { endpointParts } = await import('../../../../../renderer/features/migrations/migration-format.ts');
    expect(endpointParts('imaps://alice%40old.example@mail.old.example:993')).toEqual({ user: 'alice@old.example', server: 'mail.old.example:993' });
    expect(endpointParts('imap+plain://bob@127.0.0.1:10143')).toEqual({ user: 'bob', server: '127.0.0.1:10143' });
    expect(endpointParts('carol@new.example')).toEqual({ user: 'carol@new.example', server: null });
  });
});
