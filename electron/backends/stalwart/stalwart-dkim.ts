import type { DkimSigner } from '../../../shared/domain/provisioning.ts';
import { type Result, err, ok } from '../../../shared/errors/result.ts';
import { dkimAlgorithmOf, dkimPublicValue } from '../../dns/dkim-keys.ts';
import type { DkimKeyToInstall } from '../adapter.ts';
import { domainId, type StalwartContext } from './stalwart-context.ts';

/** A `DkimSignature` (DKIM1 variants): `privateKey` is a SecretText, `publicKey` a server-set PEM. */
interface DkimSignature {
  id: string;
  '@type': string;
  domainId: string;
  selector: string;
  stage?: string;
  publicKey?: string;
}

const TYPES = { rsa: 'Dkim1RsaSha256', ed25519: 'Dkim1Ed25519Sha256' } as const;

function toSigner(domain: string, s: DkimSignature): DkimSigner {
  const algorithm = /Ed25519/.test(s['@type']) ? 'ed25519' : /Rsa/.test(s['@type']) ? 'rsa' : null;
  let publicKey: string | null = null;
  try {
    publicKey = s.publicKey ? dkimPublicValue(s.publicKey) : null;
  } catch {
    // A key the server could not parse shows without its record.
  }
  // Stalwart signs with every signature of the domain in stage "active" (crates/common/src/cache/principals.rs).
  return { domain, selector: s.selector, algorithm, publicKey, active: (s.stage ?? 'active') === 'active' };
}

async function signatures(ctx: StalwartContext, domain: string): Promise<Result<{ domainId: string; list: DkimSignature[] }>> {
  const id = await domainId(ctx, domain);
  if (!id.ok) return id;
  const list: DkimSignature[] = [];
  for await (const s of ctx.jmap.list<DkimSignature>('DkimSignature', { domainId: id.value }, ctx.pageSize)) {
    if (!s.ok) return s;
    list.push(s.value);
  }
  return ok({ domainId: id.value, list });
}

/** The DKIM signatures Stalwart holds for `domain`, its own rotating keys included. */
export async function listDkimKeys(ctx: StalwartContext, domain: string): Promise<Result<DkimSigner[]>> {
  const found = await signatures(ctx, domain);
  return found.ok ? ok(found.value.list.map((s) => toSigner(domain, s))) : found;
}

/** Stores the key as an active DKIM1 signature of the domain, replacing the private key of one with the same selector. */
export async function installDkimKey(ctx: StalwartContext, key: DkimKeyToInstall): Promise<Result<DkimSigner>> {
  const algorithm = dkimAlgorithmOf(key.privateKeyPem);
  if (algorithm === null) return err('backend.validation', 'Stalwart signs with RSA or Ed25519 keys only.');
  const found = await signatures(ctx, key.domain);
  if (!found.ok) return found;
  const privateKey = { '@type': 'Text', secret: key.privateKeyPem };
  const same = found.value.list.find((s) => s.selector === key.selector);
  if (same && same['@type'] !== TYPES[algorithm]) return err('backend.conflict', `Stalwart: selector ${key.selector} of ${key.domain} holds a ${same['@type']} key; pick another selector.`);
  const res = same
    ? await ctx.jmap.set('DkimSignature', { update: { [same.id]: { privateKey, stage: 'active' } } })
    : await ctx.jmap.set('DkimSignature', { create: { k: { '@type': TYPES[algorithm], domainId: found.value.domainId, selector: key.selector, privateKey, stage: 'active' } } });
  if (!res.ok) return res;
  return ok({ domain: key.domain, selector: key.selector, algorithm, publicKey: dkimPublicValue(key.privateKeyPem), active: true });
}
