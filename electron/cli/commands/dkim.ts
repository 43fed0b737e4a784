import { resolve } from 'node:path';
import type { DkimSigner } from '../../../shared/domain/provisioning.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { parse } from '../args.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from '../cli-context.ts';
import { emit, emitError, table } from '../output.ts';

async function finish<T>(ctx: CliContext, result: Result<T>, human: (v: T) => string): Promise<number> {
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'input.invalid' || result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, result.value, () => human(result.value));
  return ExitCode.ok;
}

function connectionId(ctx: CliContext, name: string | undefined): string {
  if (!name) throw new UsageError('--connection NAME is required.');
  const found = ctx.services().connections.find(name);
  if (!found) throw new UsageError(`No connection "${name}".`);
  return found.id;
}

function selectorOf(value: string | undefined): string {
  if (!value) throw new UsageError('--selector S is required.');
  return value;
}

const signers = (keys: readonly DkimSigner[], secretStore: string): string =>
  keys.length === 0
    ? 'No DKIM key signs this domain on the platform.'
    : table(['SELECTOR', 'ALGORITHM', 'SIGNS', 'KEY'], keys.map((k) => [k.selector, k.algorithm ?? '?', k.active ? 'yes' : 'no', k.fromKeychain ? `from ${secretStore}` : 'the platform’s own']));

/** `mailroom dkim generate|keys|install|platform-generate|export`: DKIM keys that sign. */
export const dkimCommand: CliCommand = {
  name: 'dkim',
  summary: 'generate DKIM keys, install them where mail is signed, or export them',
  usage: `mailroom dkim generate DOMAIN --selector S [--algorithm rsa-2048|ed25519]   (the private key goes to the keychain or vault file)
mailroom dkim keys DOMAIN --connection NAME                       (which keys the platform signs with)
mailroom dkim install DOMAIN --selector S --connection NAME       (the keychain key onto the platform)
mailroom dkim platform-generate DOMAIN --selector S --connection NAME   (the platform makes its own key)
mailroom dkim export DOMAIN --selector S --out FILE               (the key leaves the keychain: PEM + OpenDKIM/rspamd snippets)`,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parse(rest, { selector: { type: 'string' }, connection: { type: 'string' }, algorithm: { type: 'string' }, out: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('Give exactly one domain.');
    const domain = positionals[0]!;
    switch (sub) {
      case 'generate': {
        const algorithm = values.algorithm ?? 'rsa-2048';
        if (algorithm !== 'rsa-2048' && algorithm !== 'ed25519') throw new UsageError('--algorithm is rsa-2048 or ed25519.');
        const r = await ctx.api.dns.generateDkimKey({ domain, selector: selectorOf(values.selector), algorithm });
        return finish(ctx, r, (k) => `Generated ${k.algorithm} key ${k.selector} for ${k.domain}; the private key is in ${ctx.secretStore}.\nPublish at ${k.selector}._domainkey.${k.domain}:\n  ${k.record}`);
      }
      case 'keys':
        return finish(ctx, await ctx.api.domains.dkimKeys(connectionId(ctx, values.connection), domain), (keys) => signers(keys, ctx.secretStore));
      case 'install': {
        const r = await ctx.api.domains.installDkim(connectionId(ctx, values.connection), { domain, selector: selectorOf(values.selector) });
        return finish(ctx, r, (k) => `${values.connection} now signs ${k.domain} with ${k.selector} (${k.algorithm ?? 'key'}) from ${ctx.secretStore}.`);
      }
      case 'platform-generate': {
        const r = await ctx.api.domains.generateDkim(connectionId(ctx, values.connection), { domain, selector: selectorOf(values.selector) });
        return finish(ctx, r, (k) => `${values.connection} made key ${k.selector} for ${k.domain} and signs with it.${k.publicKey ? `\nPublish at ${k.selector}._domainkey.${k.domain}:\n  v=DKIM1; k=${k.algorithm ?? 'rsa'}; p=${k.publicKey}` : ''}`);
      }
      case 'export': {
        if (!values.out) throw new UsageError('--out FILE is required: the key is written to a new file, never to the terminal.');
        const r = await ctx.api.dns.exportDkimKey({ domain, selector: selectorOf(values.selector), path: resolve(values.out) });
        if (r.ok) ctx.io.stderr.write(`Warning: ${r.value.warning}\n`);
        return finish(ctx, r, (x) => [`Wrote ${x.path}.`, `DNS: ${x.selector}._domainkey.${x.domain} TXT "${x.record}"`, 'OpenDKIM KeyTable:', `  ${x.opendkim.keyTable}`, 'OpenDKIM SigningTable:', ...x.opendkim.signingTable.split('\n').map((l) => `  ${l}`), 'rspamd:', ...x.rspamd.split('\n').map((l) => `  ${l}`)].join('\n'));
      }
      default:
        throw new UsageError('Use dkim generate, keys, install, platform-generate or export.');
    }
  },
};
