import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openPostfixAdminAdapter, type PostfixAdminAdapter, type PostfixAdminSettings } from '../../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import { parseSiteConfig } from '../../../../electron/backends/postfixadmin/site-config.ts';
import type { SqlDialect, SqlTarget } from '../../../../electron/backends/postfixadmin/sql-driver.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../../../..');
const SCRIPT = join(REPO, 'test/servers/postfixadmin.sh');
const ROOT = process.env['POSTFIXADMIN_ROOT'] ?? join(REPO, 'test/fixtures/postfixadmin');

/** Why the real PostfixAdmin cannot run here (null when it can): PHP or the unpacked package is missing. */
export const postfixAdminMissing: string | null = (() => {
  try {
    execFileSync('php', ['-r', 'exit(extension_loaded("pdo_sqlite") && extension_loaded("pdo_mysql") && extension_loaded("pdo_pgsql") ? 0 : 3);'], { stdio: 'ignore' });
  } catch (error) {
    const status = (error as { status?: number }).status;
    return status === 3 ? 'PHP lacks pdo_sqlite/pdo_mysql/pdo_pgsql (apt: php-sqlite3 php-mysql php-pgsql)' : 'php-cli is not installed';
  }
  if (!existsSync(join(ROOT, 'usr/share/postfixadmin/public/upgrade.php'))) return `PostfixAdmin is not unpacked in ${ROOT}`;
  return null;
})();

/** The skip reason for describe.skipIf titles; CI installs both, so there the suites always run. */
export const skipReason = postfixAdminMissing ? ` (skipped: ${postfixAdminMissing}; run test/servers/install-packages.sh)` : '';

/** One PostfixAdmin site (Debian's package, Debian's config) on a fresh database of its own. */
export interface RealSite {
  readonly dir: string;
  readonly target: SqlTarget;
  /** `config.version` after upgrade.php ran. */
  readonly revision: string;
  /** The Debian package version, e.g. 3.3.13-1+deb12u1. */
  readonly packageVersion: string;
  /** Runs `postfixadmin-cli` with the arguments; never throws. */
  cli(...args: string[]): Promise<{ code: number; out: string }>;
  /** Runs the CLI and fails on an error message (the CLI exits 0 on many errors). */
  must(...args: string[]): Promise<string>;
  /** `postfixadmin-cli <module> view <id>` as field → value ("Quota" → "50"). */
  view(module: 'domain' | 'mailbox' | 'alias' | 'aliasdomain', id: string): Promise<Record<string, string>>;
  /** PostfixAdmin's pacrypt(password, stored) with the site's encrypt setting or `encrypt`. */
  pacrypt(password: string, stored: string, encrypt?: string): Promise<string>;
  /** The action names PostfixAdmin's log view knows (pViewlog_action_* in its English texts). */
  logActions(): string[];
  drop(): Promise<void>;
}

interface Created {
  site: string;
  database: string;
  host: string;
  port: number | null;
  user: string;
  version: string;
  package: string;
}

/** Creates a site on `dialect`; `extraConf` is PHP appended to config.local.php (e.g. `$CONF['quota'] = 'YES';`). */
export async function createRealSite(dialect: SqlDialect, extraConf = ''): Promise<RealSite> {
  const dir = mkdtempSync(join(tmpdir(), `mr-pfa-${dialect}-`));
  const env = { ...process.env, POSTFIXADMIN_EXTRA_CONF: extraConf };
  const { stdout } = await run('sh', [SCRIPT, 'create', dialect, dir], { env });
  const made = JSON.parse(stdout.trim().split('\n').at(-1)!) as Created;
  const target: SqlTarget =
    dialect === 'sqlite' ? { dialect, path: made.database } : { dialect, host: made.host, port: made.port!, user: made.user, database: made.database };
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      const r = await run('sh', [SCRIPT, 'cli', dir, ...args]);
      return { code: 0, out: r.stdout + r.stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };
  return {
    dir,
    target,
    revision: made.version,
    packageVersion: made.package,
    cli,
    must: async (...args) => {
      const r = await cli(...args);
      if (r.code !== 0 || /^\s*(Error|Execution Exception)/m.test(r.out)) throw new Error(`postfixadmin-cli ${args.join(' ')} failed:\n${r.out}`);
      return r.out;
    },
    view: async (module, id) => {
      const r = await cli(module, 'view', id);
      const fields: Record<string, string> = {};
      for (const line of r.out.split('\n')) {
        const m = /^\s*([^:]+?):\s?(.*)$/.exec(line);
        if (m && !line.startsWith('---')) fields[m[1]!.trim()] = m[2]!.trim();
      }
      return fields;
    },
    pacrypt: async (password, stored, encrypt) => {
      const child = execFile('sh', [SCRIPT, 'pacrypt', dir], { env: { ...process.env, POSTFIXADMIN_ENCRYPT: encrypt ?? '' } });
      let out = '';
      let err = '';
      child.stdout!.on('data', (c) => (out += String(c)));
      child.stderr!.on('data', (c) => (err += String(c)));
      child.stdin!.end(`${password}\n${stored}\n`);
      const code = await new Promise<number | null>((r) => child.once('close', r));
      // PostfixAdmin throws for hashes it cannot read; that is a mismatch, not a harness failure.
      return code === 0 ? out.trim() : `(pacrypt failed: ${err.trim() || out.trim()})`;
    },
    logActions: () =>
      [...readFileSync(join(dir, 'site/languages/en.lang'), 'utf8').matchAll(/\$PALANG\['pViewlog_action_([a-z_]+)'\]/g)].map((m) => m[1]!),
    drop: async () => {
      if (process.env['KEEP_FIXTURES']) return;
      await run('sh', [SCRIPT, 'drop', dir]);
    },
  };
}

/** Mailroom's adapter on the site, following the `$CONF` settings of the site's own config.local.php. */
export async function openMailroom(site: RealSite, extra: Partial<PostfixAdminSettings> = {}): Promise<PostfixAdminAdapter> {
  const conf = parseSiteConfig(readFileSync(join(site.dir, 'site/config.local.php'), 'utf8'));
  const opened = await openPostfixAdminAdapter({ ...site.target, site: conf, ...extra }, null, { actor: 'tester', hashOptions: { bcryptRounds: 5 } });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

/** Unwraps a Result in a test, failing with the error. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** The error code of a failed Result (null when it succeeded). */
export function codeOf(r: { ok: true } | { ok: false; error: { code: string } }): string | null {
  return r.ok ? null : r.error.code;
}

/** Collects an adapter listing, failing on the first error. */
export async function all<T>(items: AsyncIterable<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(must(item));
  return out;
}
