import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_KEYS, capabilityEntries, checkedCapabilities, missingMethods, type CapabilityKey } from '../../../../electron/backends/capability-registry.ts';
import { GoogleWorkspaceAdapter } from '../../../../electron/backends/google/google-adapter.ts';
import { googleCapabilities } from '../../../../electron/backends/google/google-capabilities.ts';
import { MailcowAdapter } from '../../../../electron/backends/mailcow/mailcow-adapter.ts';
import { mailcowCapabilities } from '../../../../electron/backends/mailcow/mailcow-capabilities.ts';
import { MicrosoftGraphAdapter } from '../../../../electron/backends/microsoft/microsoft-adapter.ts';
import { microsoftCapabilities } from '../../../../electron/backends/microsoft/microsoft-capabilities.ts';
import { dkimSupport } from '../../../../electron/backends/postfixadmin/pfa-dkim.ts';
import { capabilities as pfaCapabilities, PostfixAdminAdapter } from '../../../../electron/backends/postfixadmin/postfixadmin-adapter.ts';
import { StalwartAdapter } from '../../../../electron/backends/stalwart/stalwart-adapter.ts';
import { stalwartCapabilities } from '../../../../electron/backends/stalwart/stalwart-capabilities.ts';
import { ImapOnlyAdapter } from '../../../../electron/backends/imap/imap-only-adapter.ts';
import { imapOnlyCapabilities } from '../../../../electron/backends/imap/imap-capabilities.ts';
import type { BackendKind, Capabilities } from '../../../../shared/domain/provisioning.ts';
import { EVIDENCE, EXERCISE, type Evidence } from '../../../support/capability-evidence.ts';
import type { PfaSchema } from '../../../../electron/backends/postfixadmin/site-schema.ts';
import { passwordWriter } from '../../../../electron/backends/postfixadmin/encrypt-scheme.ts';

const both = [true, false] as const;

/** A PostfixAdmin 3.3 database (revision 1847), with or without the quota2 table. */
function pfaSchema(quota2: boolean): PfaSchema {
  return { revision: 1847, has: (table: string) => table !== 'quota2' || quota2 };
}

/** Every matrix each platform's probe can produce, and the adapter behind it. */
const PLATFORMS: { readonly [K in BackendKind]: { readonly adapter: object; readonly matrices: readonly Capabilities[] } } = {
  mailcow: { adapter: MailcowAdapter.prototype, matrices: [mailcowCapabilities('2025-03')] },
  stalwart: { adapter: StalwartAdapter.prototype, matrices: both.flatMap((impersonate) => both.map((dkim) => stalwartCapabilities('0.16+ (oss)', { impersonate, dkim }))) },
  'google-workspace': { adapter: GoogleWorkspaceAdapter.prototype, matrices: both.flatMap((forward) => both.map((usage) => googleCapabilities(forward, usage))) },
  'microsoft-365': { adapter: MicrosoftGraphAdapter.prototype, matrices: [microsoftCapabilities('user + Exchange licence')] },
  'postfixadmin-sql': {
    adapter: PostfixAdminAdapter.prototype,
    matrices: both.flatMap((quota2) => both.flatMap((tables) => both.map((writes) => ({ ...pfaCapabilities(pfaSchema(quota2), writes ? passwordWriter('php_crypt:SHA512') : passwordWriter('md5crypt')), dkim: dkimSupport(tables) })))),
  },
  imap: { adapter: ImapOnlyAdapter.prototype, matrices: [imapOnlyCapabilities] },
};

const sources = new Map<string, string | null>();
function source(file: string): string | null {
  if (!sources.has(file)) sources.set(file, existsSync(file) ? readFileSync(file, 'utf8') : null);
  return sources.get(file)!;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TEST_START = /\n\s*(?:it|test)(?:\.\w+\([^)]*\))?\(\s*['"`]/g;

/** The body of the test named `title` in `file` (up to the next test), or why it cannot be found. */
function testBody(evidence: Evidence): string | { missing: string } {
  const text = source(evidence.file);
  if (text === null) return { missing: `no file ${evidence.file}` };
  const start = new RegExp(`(?:it|test)(?:\\.\\w+\\([^)]*\\))?\\(\\s*'${escape(evidence.test)}'`).exec(text);
  if (!start) return { missing: `no test '${evidence.test}' in ${evidence.file}` };
  TEST_START.lastIndex = start.index + start[0].length;
  const next = TEST_START.exec(text);
  return text.slice(start.index, next ? next.index : text.length);
}

/** Everything wrong with one matrix: claims without adapter code, without a named test, or whose test does not exercise them. */
function problemsOf(kind: BackendKind, caps: Capabilities, adapter: object, evidence = EVIDENCE[kind]): string[] {
  const problems: string[] = [];
  for (const [key, support] of capabilityEntries(caps)) {
    if (support.level !== 'native' && support.level !== 'emulated') continue;
    const missing = missingMethods(adapter, key);
    if (missing.length) problems.push(`${kind} ${key} is ${support.level} but the adapter has no ${missing.join(', ')}`);
    const named = evidence[key];
    if (!named) {
      problems.push(`${kind} ${key} is ${support.level} but no test is named for it in test/support/capability-evidence.ts`);
      continue;
    }
    const body = testBody(named);
    if (typeof body !== 'string') problems.push(`${kind} ${key}: ${body.missing}`);
    else if (!EXERCISE[key].test(body)) problems.push(`${kind} ${key}: '${named.test}' does not exercise it (${EXERCISE[key]})`);
  }
  return problems;
}

describe('the capability matrix claims nothing no code and no test stands behind', () => {
  for (const [kind, platform] of Object.entries(PLATFORMS) as [BackendKind, (typeof PLATFORMS)[BackendKind]][]) {
    it(`${kind}: every native or emulated claim has adapter methods and a test that exercises it`, () => {
      expect(platform.matrices.flatMap((caps) => problemsOf(kind, caps, platform.adapter))).toEqual([]);
      // The probe's own check changes nothing in an honest matrix.
      for (const caps of platform.matrices) expect(checkedCapabilities(caps, platform.adapter)).toEqual(caps);
    });
  }

  it('every matrix has exactly the registered flags', () => {
    for (const { matrices } of Object.values(PLATFORMS)) {
      for (const caps of matrices) {
        const flags = Object.entries(caps).flatMap(([group, ops]) => (typeof ops === 'object' && ops ? Object.entries(ops).filter(([, s]) => typeof s === 'object' && s && 'level' in s).map(([op]) => `${group}.${op}`) : []));
        expect(flags.sort()).toEqual([...CAPABILITY_KEYS].sort());
      }
    }
  });

  it('the claims the review found false are no longer made', () => {
    const [mc] = PLATFORMS.mailcow.matrices;
    expect(mc!.forward.set.level).toBe('unsupported');
    expect(imapOnlyCapabilities.usage.read.level).toBe('unsupported');
    for (const caps of PLATFORMS.stalwart.matrices) expect(caps.dkim.generate.level).toBe('unsupported');
    // The alias-domain and DKIM claims that stayed now have code: createAliasDomain / generateDkimKey / installDkimKey.
    expect(missingMethods(MailcowAdapter.prototype, 'domain.alias')).toEqual([]);
    expect(missingMethods(StalwartAdapter.prototype, 'dkim.install')).toEqual([]);
    expect(missingMethods(GoogleWorkspaceAdapter.prototype, 'domain.alias')).toEqual([]);
  });

  it('fails on a false claim: no adapter code, no named test, or a test that does not exercise it', () => {
    const [ms] = PLATFORMS['microsoft-365'].matrices;
    const aliasDomains = { ...ms!, domain: { ...ms!.domain, alias: { level: 'native' as const } } };
    expect(problemsOf('microsoft-365', aliasDomains, MicrosoftGraphAdapter.prototype)).toEqual([
      'microsoft-365 domain.alias is native but the adapter has no createAliasDomain',
      'microsoft-365 domain.alias is native but no test is named for it in test/support/capability-evidence.ts',
    ]);
    const [mc] = PLATFORMS.mailcow.matrices;
    const forwards = { ...mc!, forward: { ...mc!.forward, set: { level: 'emulated' as const } } };
    expect(problemsOf('mailcow', forwards, MailcowAdapter.prototype)).toEqual(['mailcow forward.set is emulated but no test is named for it in test/support/capability-evidence.ts']);
    const wrongTest: Partial<Record<CapabilityKey, Evidence>> = { ...EVIDENCE.mailcow, 'forward.set': EVIDENCE.mailcow['dkim.generate']! };
    expect(problemsOf('mailcow', forwards, MailcowAdapter.prototype, wrongTest)).toEqual([expect.stringContaining('does not exercise it')]);
    const gone: Partial<Record<CapabilityKey, Evidence>> = { ...EVIDENCE.mailcow, 'forward.set': { file: EVIDENCE.mailcow['dkim.generate']!.file, test: 'forwards mail' } };
    expect(problemsOf('mailcow', forwards, MailcowAdapter.prototype, gone)).toEqual([expect.stringContaining("no test 'forwards mail'")]);
    // At run time the probe turns the claim without code into unsupported, naming what is missing.
    expect(checkedCapabilities(aliasDomains, MicrosoftGraphAdapter.prototype).domain.alias).toMatchObject({ level: 'unsupported', manual: expect.stringContaining('createAliasDomain') });
  });
});
