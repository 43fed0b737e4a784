import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/db/database.ts';
import { createFileLogger } from '../../../../electron/platform/logger.ts';
import { OWN_DATA_ENTRIES } from '../../../../electron/platform/paths.ts';
import { makePrivateDir, precreatePrivateFile, securePrivateDataDir, setPrivateUmask, tightenPath } from '../../../../electron/platform/private-files.ts';
import { icaclsArgs, parseWhoamiSid } from '../../../../electron/platform/windows-acl.ts';

const mode = (path: string): string => (lstatSync(path).mode & 0o7777).toString(8);

describe.skipIf(process.platform === 'win32')('private files', () => {
  let dir: string;
  let umask: number;

  // A permissive umask, as most shells have: only explicit modes may make the files private here.
  beforeEach(() => {
    umask = process.umask(0o022);
    dir = mkdtempSync(join(tmpdir(), 'mailroom-private-'));
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a umask that keeps group and others out', () => {
    setPrivateUmask('linux');
    writeFileSync(join(dir, 'plain'), 'x');
    mkdirSync(join(dir, 'folder'));
    expect(mode(join(dir, 'plain'))).toBe('600');
    expect(mode(join(dir, 'folder'))).toBe('700');
  });

  it('creates folders 0700 and pre-creates files 0600, leaving an existing file alone', () => {
    makePrivateDir(join(dir, 'a', 'b'));
    expect(mode(join(dir, 'a'))).toBe('700');
    expect(mode(join(dir, 'a', 'b'))).toBe('700');
    precreatePrivateFile(join(dir, 'a', 'new.db'));
    expect(mode(join(dir, 'a', 'new.db'))).toBe('600');
    writeFileSync(join(dir, 'keep.txt'), 'content', { mode: 0o644 });
    precreatePrivateFile(join(dir, 'keep.txt'));
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('content');
    expect(mode(join(dir, 'keep.txt'))).toBe('644');
    expect(() => precreatePrivateFile(join(dir, 'missing', 'x.db'))).not.toThrow();
  });

  it('tightens wider modes, keeps owner bits, and never follows a symlink or touches a sticky folder', () => {
    const cases: [string, number, string][] = [['d755', 0o755, '700'], ['f644', 0o644, '600'], ['f640', 0o640, '600'], ['f400', 0o400, '400'], ['f755', 0o755, '700']];
    for (const [name, initial, expected] of cases) {
      const path = join(dir, name);
      if (name.startsWith('d')) mkdirSync(path);
      else writeFileSync(path, '');
      chmodSync(path, initial);
      expect(tightenPath(path)).toBe(true);
      expect(mode(path), name).toBe(expected);
    }
    writeFileSync(join(dir, 'target'), '');
    chmodSync(join(dir, 'target'), 0o644);
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    tightenPath(join(dir, 'link'));
    expect(mode(join(dir, 'target'))).toBe('644');
    mkdirSync(join(dir, 'shared'));
    chmodSync(join(dir, 'shared'), 0o1777);
    tightenPath(join(dir, 'shared'));
    expect(mode(join(dir, 'shared'))).toBe('1777');
    expect(tightenPath(join(dir, 'nothing-here'))).toBe(true);
  });

  it('tightens an existing 0755 data folder and Mailroom\'s own entries in it, and only those', () => {
    const data = join(dir, 'data');
    mkdirSync(join(data, 'logs', 'old'), { recursive: true });
    writeFileSync(join(data, 'mailroom.db'), '');
    writeFileSync(join(data, 'mailroom.db-wal'), '');
    writeFileSync(join(data, 'logs', 'mailroom.log'), '');
    writeFileSync(join(data, 'logs', 'old', 'mailroom.1.log'), '');
    writeFileSync(join(data, 'notes.txt'), '');
    for (const path of [data, join(data, 'logs'), join(data, 'logs', 'old')]) chmodSync(path, 0o755);
    for (const path of ['mailroom.db', 'mailroom.db-wal', 'logs/mailroom.log', 'logs/old/mailroom.1.log', 'notes.txt']) chmodSync(join(data, path), 0o644);

    expect(securePrivateDataDir(data, OWN_DATA_ENTRIES, 'linux')).toEqual([]);
    for (const path of [data, join(data, 'logs'), join(data, 'logs', 'old')]) expect(mode(path), path).toBe('700');
    for (const path of ['mailroom.db', 'mailroom.db-wal', 'logs/mailroom.log', 'logs/old/mailroom.1.log']) expect(mode(join(data, path)), path).toBe('600');
    expect(mode(join(data, 'notes.txt'))).toBe('644');
  });

  it('creates a missing data folder 0700', () => {
    securePrivateDataDir(join(dir, 'x', 'data'), OWN_DATA_ENTRIES, 'linux');
    expect(mode(join(dir, 'x'))).toBe('700');
    expect(mode(join(dir, 'x', 'data'))).toBe('700');
  });

  it('opens the database 0600 with its -wal and -shm, and tightens an old 0644 one', () => {
    const file = join(dir, 'state', 'state.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(mode(join(dir, 'state'))).toBe('700');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(mode(path), path).toBe('600');
    db.close();
    chmodSync(file, 0o644);
    openDatabase(file).close();
    expect(mode(file)).toBe('600');
  });

  it('leaves the mode of a file that turns out not to be a database', () => {
    const file = join(dir, 'readme.txt');
    writeFileSync(file, 'not a database, '.repeat(100), { mode: 0o644 });
    expect(() => openDatabase(file)).toThrow();
    expect(mode(file)).toBe('644');
  });

  it('writes logs into a 0700 folder as 0600, and tightens an old log file', () => {
    const log = join(dir, 'logs', 'mailroom.log');
    createFileLogger(log).info('first');
    expect(mode(join(dir, 'logs'))).toBe('700');
    expect(mode(log)).toBe('600');
    chmodSync(log, 0o644);
    createFileLogger(log).info('second');
    expect(mode(log)).toBe('600');
    expect(statSync(log).size).toBeGreaterThan(0);
    expect(existsSync(log)).toBe(true);
  });
});

describe('Windows ACL for the user only', () => {
  it('reads the SID from whoami /user /fo csv /nh', () => {
    expect(parseWhoamiSid('"desktop-1\\\\ana","S-1-5-21-1004336348-1177238915-682003330-1001"\r\n')).toBe('S-1-5-21-1004336348-1177238915-682003330-1001');
    expect(parseWhoamiSid('')).toBeNull();
    expect(parseWhoamiSid('"ana","not a sid"')).toBeNull();
  });

  it('removes inherited entries and grants only the user, inherited by what is created inside', () => {
    expect(icaclsArgs('C:\\Users\\ana\\AppData\\Roaming\\Mailroom', 'S-1-5-21-1-2-3-1001')).toEqual([
      'C:\\Users\\ana\\AppData\\Roaming\\Mailroom',
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-21-1-2-3-1001:(OI)(CI)F',
      '/q',
    ]);
  });
});
