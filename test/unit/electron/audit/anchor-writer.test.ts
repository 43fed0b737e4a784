import { describe, expect, it } from 'vitest';
import { AnchorWriter, readAnchor } from '../../../../electron/audit/audit-anchor.ts';
import { MemoryVault } from '../../../fakes/memory-vault.ts';

const mac = (n: number): string => n.toString(16).padStart(64, '0');

/** Records every write; each takes a little while, as a keychain does. */
class RecordingVault extends MemoryVault {
  readonly writes: string[] = [];
  fail = false;

  override async set(account: string, secret: string): Promise<void> {
    await new Promise((done) => setTimeout(done, 3));
    if (this.fail) throw new Error('keychain locked');
    this.writes.push(secret);
    return super.set(account, secret);
  }
}

describe('AnchorWriter', () => {
  it('writes one anchor at a time, always the newest asked for, and never goes back', async () => {
    const vault = new RecordingVault();
    const writer = new AnchorWriter(vault, 'a', () => undefined);
    for (let seq = 1; seq <= 50; seq++) writer.request({ seq, mac: mac(seq) });
    writer.request({ seq: 7, mac: mac(7) });
    await writer.flush();
    expect(vault.writes.map((w) => JSON.parse(w).seq)).toEqual([1, 50]);
    expect(await readAnchor(vault, 'a')).toEqual({ seq: 50, mac: mac(50) });
  });

  it('rejects flush when a write fails, tells the error handler, and retries on the next flush', async () => {
    const vault = new RecordingVault();
    const errors: unknown[] = [];
    const writer = new AnchorWriter(vault, 'a', (e) => errors.push(e));
    vault.fail = true;
    writer.request({ seq: 1, mac: mac(1) });
    await expect(writer.flush()).rejects.toThrow(/locked/);
    expect(errors).toHaveLength(1);
    vault.fail = false;
    await writer.flush();
    expect(await readAnchor(vault, 'a')).toEqual({ seq: 1, mac: mac(1) });
  });

  it('reads a missing anchor as null and a foreign value as unreadable', async () => {
    const vault = new MemoryVault();
    expect(await readAnchor(vault, 'a')).toBeNull();
    await vault.set('a', '{"seq":"5","mac":"zz"}');
    expect(await readAnchor(vault, 'a')).toBe('unreadable');
    await vault.set('a', 'not json');
    expect(await readAnchor(vault, 'a')).toBe('unreadable');
  });
});
