import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { DkimExport } from '../../shared/domain/dns.ts';
import { err, ok, type Result } from '../../shared/errors/result.ts';
import type { CredentialVault } from '../platform/credential-vault.ts';
import { dkimAlgorithmOf, dkimPublicValue, dkimVaultAccount } from './dkim-keys.ts';
import { normalizeDomain } from './domain-name.ts';

/** What to export: the keychain's key of `domain` / `selector`, into a new file at `path`. */
export interface DkimExportInput {
  readonly domain: string;
  readonly selector: string;
  readonly path: string;
}

/** The warning every export carries: the key is no longer only in the keychain. */
export function exportWarning(domain: string, path: string): string {
  return `${path} holds the private DKIM key of ${domain} outside the system keychain: anyone who can read it can sign mail as ${domain}. Keep it readable by the signer only, and delete copies you no longer need.`;
}

/** The OpenDKIM KeyTable and SigningTable lines (refile signing table) and the rspamd dkim_signing block for a key file. */
export function signerSnippets(domain: string, selector: string, path: string): { opendkim: { keyTable: string; signingTable: string }; rspamd: string } {
  const name = `${selector}._domainkey.${domain}`;
  return {
    opendkim: {
      keyTable: `${name} ${domain}:${selector}:${path}`,
      signingTable: `# with SigningTable refile:/etc/opendkim/SigningTable\n*@${domain} ${name}`,
    },
    rspamd: [
      '# /etc/rspamd/local.d/dkim_signing.conf',
      'domain {',
      `  ${domain} {`,
      `    selectors [ { path = "${path}"; selector = "${selector}"; } ];`,
      '  }',
      '}',
    ].join('\n'),
  };
}

/**
 * Writes the keychain's DKIM key to a new file (mode 0600, never over an existing file) for a signer Mailroom
 * cannot install it on, and returns the record and signer configuration; the key itself is never in the answer.
 */
export async function exportDkimKey(vault: CredentialVault, input: DkimExportInput): Promise<Result<DkimExport>> {
  const domain = normalizeDomain(input.domain);
  if (!domain) return err('input.invalid', `"${input.domain}" is not a valid domain name.`);
  if (!isAbsolute(input.path)) return err('input.invalid', 'Give the key file as an absolute path.');
  const pem = await vault.get(dkimVaultAccount(domain, input.selector));
  if (!pem) return err('notFound', `No DKIM key ${input.selector} for ${domain} in the keychain: generate it first.`);
  const algorithm = dkimAlgorithmOf(pem);
  if (algorithm === null) return err('input.invalid', `The keychain entry of ${input.selector} for ${domain} is not an RSA or Ed25519 key.`);
  try {
    await writeFile(input.path, pem, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EEXIST' ? err('conflict', `${input.path} exists; Mailroom does not overwrite files. Choose a new path.`) : err('io.failed', `Could not write ${input.path}: ${code ?? 'error'}.`);
  }
  return ok({
    domain,
    selector: input.selector,
    algorithm,
    path: input.path,
    record: `v=DKIM1; k=${algorithm}; p=${dkimPublicValue(pem)}`,
    ...signerSnippets(domain, input.selector, input.path),
    warning: exportWarning(domain, input.path),
  });
}
