import { readFileSync } from 'node:fs';
import type { ConnectionSummary } from '../../../shared/domain/connection.ts';
import type { Result } from '../../../shared/errors/result.ts';
import { parse, refusePlaintext } from '../args.ts';
import { ExitCode, UsageError, type CliContext } from '../cli-context.ts';
import { emit, emitError } from '../output.ts';
import { readSecret, secretSource } from '../password-input.ts';

/** Usage lines of the API connection commands. */
export const apiConnectionsUsage = `mailroom connections add-mailcow --name NAME --url https://mail.example.com [--api-key-env VAR | --api-key-file FILE] [--allow-plaintext]
mailroom connections add-stalwart --name NAME --url URL [--user ADMIN] [--secret-env VAR | --secret-file FILE] [--allow-plaintext]
                         (with --user the secret is the admin password, without it an API key; an http:// URL to another
                          machine sends it in clear: refused without --allow-plaintext)
mailroom connections add-google --name NAME --admin ADMIN@DOMAIN [--customer ID] [--key-file SA.json | --key-env VAR]
                         [--root-url URL --gmail-root-url URL]
mailroom connections add-microsoft --name NAME --tenant ID --client-id ID [--client-secret-env VAR | --client-secret-file FILE]
                         [--license-sku SKU --usage-location CC --authority-host URL --graph-url URL]
         (secrets never come from the command line: without the -env/-file option they are prompted for or read from stdin;
          each is tested first and saved only when the test passes; --skip-test saves it untested)
mailroom connections capabilities NAME|ID [--json]`;

const opt = { type: 'string' } as const;

async function secret(ctx: CliContext, env: string | undefined, file: string | undefined, prompt: string): Promise<string> {
  if (env && file) throw new UsageError('Give the secret either from the environment or from a file, not both.');
  return readSecret(ctx.io, secretSource(env, file, prompt));
}

/** A multi-line secret (a JSON key) from a variable, a whole file, or all of stdin. */
async function wholeSecret(ctx: CliContext, env: string | undefined, file: string | undefined): Promise<string> {
  if (env && file) throw new UsageError('Give --key-env or --key-file, not both.');
  if (env) {
    const value = ctx.io.env[env];
    if (!value) throw new UsageError(`Environment variable ${env} is empty or not set.`);
    return value;
  }
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (ctx.io.stdin.isTTY) throw new UsageError('Give the service-account key with --key-file FILE or --key-env VAR, or pipe it on stdin.');
  let text = '';
  for await (const chunk of ctx.io.stdin) text += String(chunk);
  if (!text.trim()) throw new UsageError('No service-account key on stdin.');
  return text;
}

function required<T extends Record<string, unknown>>(values: T, names: readonly (keyof T & string)[]): void {
  for (const n of names) if (!values[n]) throw new UsageError(`--${n} is required.`);
}

const maybe = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

/** `mailroom connections add-mailcow|add-stalwart|add-google|add-microsoft …`. */
export async function addApiConnection(kind: 'mailcow' | 'stalwart' | 'google' | 'microsoft', allArgs: readonly string[], ctx: CliContext): Promise<number> {
  // Tested before it is kept, as in the console; --skip-test saves it untested.
  const skipTest = allArgs.includes('--skip-test');
  const argv = allArgs.filter((a) => a !== '--skip-test');
  const test = { test: !skipTest };
  // `required` has checked the mandatory options; the router validates every value against the shared schema.
  let result: Result<ConnectionSummary>;
  switch (kind) {
    case 'mailcow': {
      const { values } = parse(argv, { name: opt, url: opt, 'api-key-env': opt, 'api-key-file': opt, 'allow-plaintext': { type: 'boolean' } }, false);
      required(values, ['name', 'url']);
      const clear = refusePlaintext(ctx, { url: values.url! }, values['allow-plaintext']);
      result = await ctx.api.connections.addMailcow({ name: values.name!, baseUrl: values.url!, apiKey: await secret(ctx, values['api-key-env'], values['api-key-file'], `mailcow API key for ${values.url}`), ...(clear ? { allowPlaintext: true } : {}) }, test);
      break;
    }
    case 'stalwart': {
      const { values } = parse(argv, { name: opt, url: opt, user: opt, 'secret-env': opt, 'secret-file': opt, 'allow-plaintext': { type: 'boolean' } }, false);
      required(values, ['name', 'url']);
      const clear = refusePlaintext(ctx, { url: values.url! }, values['allow-plaintext']);
      const label = values.user ? `Password for ${values.user} on ${values.url}` : `Stalwart API key for ${values.url}`;
      result = await ctx.api.connections.addStalwart({ name: values.name!, baseUrl: values.url!, ...maybe('username', values.user), secret: await secret(ctx, values['secret-env'], values['secret-file'], label), ...(clear ? { allowPlaintext: true } : {}) }, test);
      break;
    }
    case 'google': {
      const { values } = parse(argv, { name: opt, admin: opt, customer: opt, 'key-file': opt, 'key-env': opt, 'root-url': opt, 'gmail-root-url': opt }, false);
      required(values, ['name', 'admin']);
      result = await ctx.api.connections.addGoogle({
        name: values.name!,
        adminEmail: values.admin!,
        ...maybe('customer', values.customer),
        ...maybe('rootUrl', values['root-url']),
        ...maybe('gmailRootUrl', values['gmail-root-url']),
        serviceAccountJson: await wholeSecret(ctx, values['key-env'], values['key-file']),
      }, test);
      break;
    }
    case 'microsoft': {
      const { values } = parse(argv, {
        name: opt, tenant: opt, 'client-id': opt, 'client-secret-env': opt, 'client-secret-file': opt,
        'license-sku': opt, 'usage-location': opt, 'authority-host': opt, 'graph-url': opt,
      }, false);
      required(values, ['name', 'tenant', 'client-id']);
      result = await ctx.api.connections.addMicrosoft({
        name: values.name!,
        tenantId: values.tenant!,
        clientId: values['client-id']!,
        ...maybe('licenseSkuId', values['license-sku']),
        ...maybe('usageLocation', values['usage-location']),
        ...maybe('authorityHost', values['authority-host']),
        ...maybe('graphBaseUrl', values['graph-url']),
        clientSecret: await secret(ctx, values['client-secret-env'], values['client-secret-file'], `Client secret of app ${values['client-id']}`),
      }, test);
      break;
    }
  }
  if (!result.ok) {
    emitError(ctx, result.error);
    if (!ctx.json && (result.error.detail as { notSaved?: boolean } | undefined)?.notSaved) ctx.io.stderr.write('Fix the settings and add it again, or save it untested with --skip-test.\n');
    return result.error.code === 'input.invalid' || result.error.code === 'conflict' ? ExitCode.usage : ExitCode.failed;
  }
  const how = skipTest ? `saved untested (--skip-test); check it with \`mailroom connections test ${result.value.name}\`` : 'the test passed';
  emit(ctx, { connection: result.value, tested: !skipTest }, () => `Added ${kind} connection "${result.value.name}" (${result.value.id}); ${how}; the secret is in ${ctx.secretStore}.`);
  return ExitCode.ok;
}

/** `mailroom connections capabilities NAME`: what the platform can do, probed once and cached. */
export async function showCapabilities(id: string, ctx: CliContext): Promise<number> {
  const found = ctx.services().connections.find(id);
  const result = await ctx.api.connections.capabilities(found?.id ?? id);
  if (!result.ok) {
    emitError(ctx, result.error);
    return result.error.code === 'notFound' ? ExitCode.usage : ExitCode.failed;
  }
  emit(ctx, { capabilities: result.value }, () => {
    const lines: string[] = [`${result.value.kind} ${result.value.version ?? ''}`.trim()];
    for (const [group, ops] of Object.entries(result.value as object)) {
      if (typeof ops !== 'object' || ops === null) continue;
      for (const [op, s] of Object.entries(ops as Record<string, unknown>)) {
        if (typeof s !== 'object' || s === null) continue;
        const support = s as { level: string; how?: string; manual?: string };
        lines.push(`  ${`${group}.${op}`.padEnd(28)} ${support.level}${support.how ? ` (${support.how})` : ''}${support.manual ? ` — ${support.manual}` : ''}`);
      }
    }
    return lines.join('\n');
  });
  return ExitCode.ok;
}
