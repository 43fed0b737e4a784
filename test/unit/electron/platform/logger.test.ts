import { describe, expect, it } from 'vitest';
import { createMemoryLogger, redact } from '../../../../electron/platform/logger.ts';

describe('redact', () => {
  it('hides secret-looking keys at any depth and keeps the rest', () => {
    const input = {
      host: 'imap.example.com',
      password: 'p1',
      nested: { apiKey: 'k', api_key: 'k2', 'x-api-key': 'k3', list: [{ accessToken: 't', user: 'u' }] },
      Authorization: 'Bearer x',
      privateKey: '-----BEGIN',
    };
    const out = JSON.stringify(redact(input));
    for (const secret of ['p1', '"k"', 'k2', 'k3', '"t"', 'Bearer x', 'BEGIN']) expect(out).not.toContain(secret);
    expect(out).toContain('imap.example.com');
    expect(out).toContain('"user":"u"');
  });

  it('applies to every logged field', () => {
    const logger = createMemoryLogger();
    logger.error('failed', { input: { name: 'n', password: 'hunter2' } });
    expect(logger.lines.join()).not.toContain('hunter2');
    expect(logger.lines.join()).toContain('[redacted]');
  });
});
