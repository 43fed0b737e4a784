import { type Result, ok } from '../../../shared/errors/result.ts';
import { domainOf, pages, type MicrosoftContext } from './microsoft-context.ts';

interface SignInUser {
  mail?: string | null;
  signInActivity?: { lastSignInDateTime?: string | null; lastNonInteractiveSignInDateTime?: string | null } | null;
}

/**
 * The last sign-in of every user with a mailbox (in `domain`, or all): Graph's signInActivity, which needs
 * AuditLog.Read.All and an Entra ID P1 tenant (otherwise 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant).
 * Null for a user who never signed in. Listed whole and filtered here: the domain filter on mail is an advanced
 * query, and one request shape is enough to get right.
 */
export async function* listLastLogins(ctx: MicrosoftContext, domain: string | null, signal?: AbortSignal): AsyncIterable<Result<{ readonly address: string; readonly lastLoginAt: string | null }>> {
  for await (const u of pages<SignInUser>(ctx, 'users.signInActivity', (g) => g.api('/users').select('id,mail,signInActivity').top(999).options(signal ? { signal } : {}).get(), signal)) {
    if (!u.ok) {
      yield u;
      return;
    }
    const address = u.value.mail?.toLowerCase();
    if (!address || (domain !== null && domainOf(address) !== domain.toLowerCase())) continue;
    // Interactive and non-interactive (token refresh by a mail client) sign-ins both show the mailbox in use.
    const times = [u.value.signInActivity?.lastSignInDateTime, u.value.signInActivity?.lastNonInteractiveSignInDateTime].filter((t): t is string => typeof t === 'string');
    const latest = times.map((t) => Date.parse(t)).filter(Number.isFinite).sort((a, b) => b - a)[0];
    yield ok({ address, lastLoginAt: latest === undefined ? null : new Date(latest).toISOString() });
  }
}
