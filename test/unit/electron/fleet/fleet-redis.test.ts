import { describe, expect, it } from 'vitest';
import { laneOf, lanePolicy, parseRedisUrl } from '../../../../electron/fleet/fleet-redis.ts';
import { sqlitePathOf } from '../../../../electron/fleet/job-state.ts';

describe('fleet URLs', () => {
  it('parse redis:// and rediss:// with user, port and database; the password only from the environment', () => {
    expect(parseRedisUrl('redis://127.0.0.1', {})).toEqual({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null });
    expect(parseRedisUrl('rediss://fleet@redis.example:6380/2', { MAILROOM_REDIS_PASSWORD: 'pw' })).toEqual({ host: 'redis.example', port: 6380, username: 'fleet', password: 'pw', db: 2, tls: {}, maxRetriesPerRequest: null });
    expect(parseRedisUrl('redis://[::1]:7000', {})).toMatchObject({ host: '::1', port: 7000 });
  });

  it('refuse a password in the URL, other schemes and bad paths with one line each', () => {
    expect(parseRedisUrl('redis://:hunter2@127.0.0.1', {})).toMatch(/password in the URL is not accepted.*MAILROOM_REDIS_PASSWORD/);
    expect(parseRedisUrl('redis://u:hunter2@127.0.0.1', {})).not.toContain('hunter2');
    expect(parseRedisUrl('http://127.0.0.1', {})).toMatch(/redis:\/\/ or rediss:\/\//);
    expect(parseRedisUrl('redis://127.0.0.1/queue', {})).toMatch(/database number/);
    expect(parseRedisUrl('not a url', {})).toMatch(/is not a URL/);
  });

  it('read sqlite: state URLs and refuse the rest', () => {
    expect(sqlitePathOf('sqlite:/var/lib/mailroom/state.db')).toBe('/var/lib/mailroom/state.db');
    expect(sqlitePathOf('sqlite:///var/lib/state.db')).toBe('/var/lib/state.db');
    expect(() => sqlitePathOf('sqlite:state.db')).toThrow(/absolute path/);
    expect(() => sqlitePathOf('/tmp/x.db')).toThrow(/sqlite:/);
  });

  it('route pairs to a lane per target preset with the preset as its policy', () => {
    expect(laneOf('microsoft')).toBe('microsoft');
    expect(laneOf(undefined)).toBe('imap');
    expect(laneOf('nonsense')).toBe('imap');
    expect(lanePolicy('gmail')).toEqual({ limiter: { max: 15, duration: 1000 }, connectionsPerMailbox: 15 });
    expect(lanePolicy('microsoft').connectionsPerMailbox).toBe(16);
  });
});
