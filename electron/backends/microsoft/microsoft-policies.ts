import type { TenantSettings } from '../../../shared/domain/provisioning.ts';
import { type Result, ok } from '../../../shared/errors/result.ts';
import { call, type MicrosoftContext } from './microsoft-context.ts';

const SECURITY_DEFAULTS = '/policies/identitySecurityDefaultsEnforcementPolicy';

/** Reads security defaults (Graph v1.0 identitySecurityDefaultsEnforcementPolicy; needs Policy.Read.All). */
export async function readTenantSettings(ctx: MicrosoftContext, signal?: AbortSignal): Promise<Result<TenantSettings>> {
  const policy = await call<{ isEnabled?: boolean }>(ctx, 'identitySecurityDefaultsEnforcementPolicy.get', (g) => g.api(SECURITY_DEFAULTS).options(signal ? { signal } : {}).get());
  return policy.ok ? ok({ securityDefaults: policy.value.isEnabled === true }) : policy;
}

/** Turns security defaults on or off (needs Policy.ReadWrite.ConditionalAccess), then reads the policy back. */
export async function updateTenantSettings(ctx: MicrosoftContext, patch: TenantSettings): Promise<Result<TenantSettings>> {
  if (patch.securityDefaults !== undefined) {
    const done = await call(ctx, 'identitySecurityDefaultsEnforcementPolicy.update', (g) => g.api(SECURITY_DEFAULTS).patch({ isEnabled: patch.securityDefaults }));
    if (!done.ok) return done;
  }
  return readTenantSettings(ctx);
}
