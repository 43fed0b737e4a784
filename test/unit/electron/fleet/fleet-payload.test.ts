import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetKeyError, generateFleetKey, openFleetKey, readRecipient, writeFleetKey } from '../../../../electron/fleet/fleet-key.ts';
import { sealJob, unsealJob } from '../../../../electron/fleet/fleet-payload.ts';
import type { ImapEndpoint } from '../../../../electron/imap/imap-endpoint.ts';
import { jobIdOf } from '../../../../electron/migration/mailbox-copy.ts';

const source: ImapEndpoint = { host: 'imap.old.example', port: 993, tls: 'implicit', user: 'ann@old.example', auth: { password: 'source-Secret-1' }, ca: 'PEM' };
const target: ImapEndpoint = { host: 'outlook.office365.com', port: 993, tls: 'implicit', user: 'ann@new.example', auth: { accessToken: 'token-Secret-2' } };

describe('fleet job payloads', () => {
  it('seal both secrets to the recipient, keep nothing readable, and open back with the identity', async () => {
    const pair = await generateFleetKey('a long passphrase', 10);
    const dir = mkdtempSync(join(tmpdir(), 'fleet-key-'));
    writeFleetKey(join(dir, 'f.key'), pair);
    expect(statSync(join(dir, 'f.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'f.key.pub')).mode & 0o777).toBe(0o600);
    expect(() => writeFleetKey(join(dir, 'f.key'), pair)).toThrow(/never overwritten/);
    const identity = await openFleetKey(join(dir, 'f.key'), 'a long passphrase');
    const recipient = readRecipient(join(dir, 'f.key.pub'));
    expect(recipient).toBe(pair.recipient);

    const data = await sealJob('batch-1', source, target, { concurrency: 3 }, recipient);
    const text = JSON.stringify(data);
    expect(text).not.toContain('source-Secret-1');
    expect(text).not.toContain('token-Secret-2');
    expect(data.jobId).toBe(jobIdOf(source, target));
    expect(data.source.sealedSecret).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);

    const opened = await unsealJob(JSON.parse(text), identity);
    expect(opened).toEqual({ source, target });
  });

  it('refuses a wrong passphrase and a payload sealed to another key, each in one clear line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-key-'));
    writeFleetKey(join(dir, 'f.key'), await generateFleetKey('the right passphrase', 10));
    await expect(openFleetKey(join(dir, 'f.key'), 'a wrong passphrase')).rejects.toThrow(FleetKeyError);
    const other = await generateFleetKey('another passphrase', 10);
    const data = await sealJob('b', source, target, {}, other.recipient);
    const identity = await openFleetKey(join(dir, 'f.key'), 'the right passphrase');
    await expect(unsealJob(data, identity)).rejects.toThrow(/sealed to another fleet key/);
    expect(() => readRecipient('age1notakey')).toThrow(FleetKeyError);
  });
});
