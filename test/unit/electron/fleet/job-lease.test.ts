import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { checkStateUrl, openJobState, withoutCredentials } from '../../../../electron/fleet/job-state.ts';
import { JobHeldError } from '../../../../electron/fleet/sqlite-job-lease.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function stateUrl(): { url: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mr-lease-'));
  dirs.push(dir);
  return { url: `sqlite:${join(dir, 'state.db')}`, path: join(dir, 'state.db') };
}

// Another process's pid: alive while the child runs, dead once it has exited.
async function otherProcess(): Promise<{ pid: number; end: () => Promise<void> }> {
  const child = spawn('sleep', ['30']);
  await new Promise((resolve) => child.once('spawn', resolve));
  return { pid: child.pid!, end: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))) };
}

describe('a job in a SQLite state file shared by one machine\'s workers', () => {
  it('is held by one run at a time: a second open waits its turn, and closing lets it go', async () => {
    const { url } = stateUrl();
    const first = await openJobState(url, 'job-a');
    await expect(openJobState(url, 'job-a')).rejects.toBeInstanceOf(JobHeldError);
    const other = await openJobState(url, 'job-b');
    await first.close();
    const again = await openJobState(url, 'job-a');
    await again.close();
    await other.close();
  });

  it('stays with a live process that holds it, and is taken over from one that died', async () => {
    const { url, path } = stateUrl();
    await (await openJobState(url, 'made')).close();
    const holder = await otherProcess();
    const db = openDatabase(path);
    db.prepare('INSERT INTO fleet_job_leases (job_id, pid, taken_at) VALUES (?, ?, ?)').run('job-c', holder.pid, new Date().toISOString());
    db.close();
    await expect(openJobState(url, 'job-c')).rejects.toThrow(new RegExp(`job job-c is being run by process ${holder.pid}`));
    await holder.end();
    const taken = await openJobState(url, 'job-c');
    await taken.close();
  });
});

describe('state and queue URLs as they may be echoed', () => {
  it('leave user and password out, in the authority and in the query string', () => {
    expect(withoutCredentials('postgres://fleet:s3cret@db.example/mailroom')).toBe('postgres://…@db.example/mailroom');
    expect(withoutCredentials('pg://u:s3cret@h/db?sslpassword=k3y&x=1')).toBe('pg://…@h/db?sslpassword=…&x=1');
    expect(withoutCredentials('postgres://db.example/mailroom?password=s3cret')).toBe('postgres://db.example/mailroom?password=…');
    expect(withoutCredentials('sqlite:/var/lib/state.db')).toBe('sqlite:/var/lib/state.db');
  });

  it('refuse a PostgreSQL password given in the URL, in either place pg reads it', () => {
    expect(() => checkStateUrl('postgres://fleet:s3cret@db/mailroom')).toThrow(/must not carry a password/);
    expect(() => checkStateUrl('postgres://fleet@db/mailroom?password=s3cret')).toThrow(/must not carry a password/);
    expect(() => checkStateUrl('postgres://fleet@db/mailroom?options=-c%20search_path%3Dx')).not.toThrow();
  });
});
