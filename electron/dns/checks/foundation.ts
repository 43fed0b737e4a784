import { finding, rr, type CheckContext } from '../context.ts';
import type { SoaRecord } from '../resolver.ts';

// RFC 1912 §2.2 and MXToolbox's SOA test: an expire of two to four weeks keeps secondaries serving through an outage.
const EXPIRE_MIN = 14 * 86_400;
const EXPIRE_MAX = 28 * 86_400;

/** dns.soa-timers: the SOA expire timer is in a sane range (info). The serial format is a convention only. */
export function checkSoaTimers(ctx: CheckContext, soa: SoaRecord): void {
  if (!Number.isFinite(soa.expire) || (soa.expire >= EXPIRE_MIN && soa.expire <= EXPIRE_MAX)) return;
  const days = Math.round((soa.expire / 86_400) * 10) / 10;
  ctx.add(
    finding(
      'dns.soa-timers',
      'info',
      `The SOA expire timer of ${ctx.domain} is ${soa.expire} s (${days} days); secondaries should keep serving for 2–4 weeks if the primary is unreachable (RFC 1912 §2.2).`,
      [rr(ctx.domain, 'SOA', `${soa.nsname}. ${soa.hostmaster}. ${soa.serial} … expire ${soa.expire}`)],
      'Set the SOA expire to 1209600–2419200 seconds at the DNS provider.',
    ),
  );
}

/** dns.caa: a CAA record governs who may issue certificates for the domain (RFC 8659 tree climb up to the registered domain's parent). */
export async function checkCaa(ctx: CheckContext): Promise<void> {
  const labels = ctx.domain.split('.');
  // Climb from the domain towards the root but never query the TLD itself.
  for (let i = 0; i < labels.length - 1; i++) {
    const name = labels.slice(i).join('.');
    const answer = await ctx.dns.lookup<unknown[]>(name, 'CAA');
    if (answer.status === 'ok') return;
    // A failed lookup proves nothing; an info finding is not worth an "unknown".
    if (answer.status === 'failed') return;
  }
  ctx.add(
    finding(
      'dns.caa',
      'info',
      `No CAA record covers ${ctx.domain}, so any certificate authority may issue certificates for its mail and MTA-STS hosts (RFC 8659).`,
      [],
      `Publish ${ctx.domain}. CAA 0 issue "<your CA>" (and issuemail/issuevmc if you use S/MIME or BIMI certificates).`,
    ),
  );
}
