import { finding, rr, unknownIfFailed, type CheckContext } from '../context.ts';
import type { DmarcPolicy } from './dmarc.ts';

/** BIMI family (draft-brand-indicators-for-message-identification): the record and its DMARC prerequisite. */
export async function checkBimi(ctx: CheckContext, dmarc: DmarcPolicy | null): Promise<void> {
  const name = `default._bimi.${ctx.domain}`;
  const answer = await ctx.dns.txt(name);
  if (answer.status === 'failed') {
    unknownIfFailed(ctx, 'bimi.record-invalid', 'the BIMI record', answer);
    return;
  }
  const records = answer.status === 'ok' ? answer.records.filter((t) => /^\s*v=BIMI1/i.test(t)) : [];
  if (records.length === 0) return;
  const display = records.map((t) => rr(name, 'TXT', t));
  if (records.length > 1) {
    ctx.add(finding('bimi.record-invalid', 'error', `${name} has ${records.length} BIMI records; receivers show no logo.`, display, 'Keep exactly one BIMI record.'));
    return;
  }
  const tags = new Map<string, string>();
  const problems: string[] = [];
  for (const part of records[0]!.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) problems.push(`"${part}" is not a tag=value pair`);
    else tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const l = tags.get('l');
  const a = tags.get('a');
  if ((l === undefined || l === '') && (a === undefined || a === '')) {
    ctx.add(finding('bimi.declined', 'info', 'The BIMI record declines to show a logo ("l=" empty).', display, 'Nothing to do unless you want a logo shown.'));
    return;
  }
  if (tags.get('v') !== 'BIMI1') problems.push('it must start with "v=BIMI1"');
  if (l !== undefined && l !== '' && !/^https:\/\/[^\s,]+$/i.test(l)) problems.push(`l=${l} is not an https URL`);
  if (a !== undefined && a !== '' && !/^https:\/\/[^\s,]+$/i.test(a)) problems.push(`a=${a} is not an https URL`);
  const avp = tags.get('avp');
  if (avp !== undefined && !/^(brand|personal)$/i.test(avp)) problems.push(`avp=${avp} must be brand or personal`);
  if (problems.length > 0) ctx.add(finding('bimi.record-invalid', 'error', `The BIMI record is invalid: ${problems.join('; ')}.`, display, `Publish ${rr(name, 'TXT', 'v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem')}.`));
  if (dmarc) {
    const enforced = (p: string): boolean => p === 'quarantine' || p === 'reject';
    if (!enforced(dmarc.p) || !enforced(dmarc.sp) || (dmarc.pct !== null && dmarc.pct !== '100')) {
      ctx.add(finding('bimi.dmarc-not-enforced', 'error', `BIMI needs DMARC enforcement (p and sp quarantine or reject, no pct below 100); this domain has p=${dmarc.p}, sp=${dmarc.sp}${dmarc.pct ? `, pct=${dmarc.pct}` : ''}.`, display, 'Move DMARC to p=quarantine or p=reject before publishing BIMI.'));
    }
  } else {
    ctx.add(finding('bimi.dmarc-not-enforced', 'error', 'A BIMI record is published but no usable DMARC policy applies.', display, 'Publish a DMARC record with p=quarantine or p=reject.'));
  }
}
