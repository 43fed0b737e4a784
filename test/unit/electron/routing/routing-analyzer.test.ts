import { describe, expect, it } from 'vitest';
import { analyzeRouting } from '../../../../electron/routing/routing-analyzer.ts';
import { dmarcPolicyFromFindings, type RoutingData } from '../../../../electron/db/routing-repo.ts';
import type { DmarcPolicy } from '../../../../shared/domain/routing.ts';

const data = (over: Partial<RoutingData>): RoutingData => ({
  domains: [
    { connectionId: 'c1', name: 'acme.test', aliasDomains: ['acme-alias.test'] },
    { connectionId: 'c2', name: 'sub.test', aliasDomains: [] },
  ],
  mailboxes: [],
  aliases: [],
  groups: [],
  ...over,
});
const mailbox = (address: string, forwardTargets: string[] = [], keepCopy = false) => ({ connectionId: 'c1', address, domain: address.split('@')[1]!, forwardTargets, keepCopy });
const alias = (address: string, targets: string[], active = true) => ({ connectionId: 'c1', address, domain: address.split('@')[1]!, targets, active });
const policies = (map: Record<string, DmarcPolicy>) => (d: string): DmarcPolicy => map[d] ?? 'not-checked';

describe('routing analysis', () => {
  it('follows alias → group → forward chains and resolves alias domains; self-delivery is not a hop', () => {
    const r = analyzeRouting(
      data({
        mailboxes: [mailbox('ann@acme.test'), mailbox('bob@sub.test', ['ann@acme-alias.test'], true)],
        aliases: [alias('sales@acme.test', ['team@acme.test']), alias('ann@acme.test', ['ann@acme.test'])],
        groups: [{ connectionId: 'c1', address: 'team@acme.test', domain: 'acme.test', members: ['bob@sub.test'] }],
      }),
      policies({}),
    );
    expect(r.edges).toEqual([
      { from: 'bob@sub.test', to: 'ann@acme.test', kind: 'forward', keepCopy: true },
      { from: 'team@acme.test', to: 'bob@sub.test', kind: 'member' },
      { from: 'sales@acme.test', to: 'team@acme.test', kind: 'alias' },
    ]);
    expect(r.nodes.find((n) => n.id === 'ann@acme.test')?.kind).toBe('mailbox');
    expect(r.findings).toEqual([]);
    expect(r.organisationDomains).toEqual(['acme-alias.test', 'acme.test', 'sub.test']);
  });

  it('carries a forward\'s condition onto its edge; a conditional forward off-site still breaks a strict DMARC policy', () => {
    const r = analyzeRouting(
      data({ mailboxes: [{ ...mailbox('ann@acme.test', ['ann@home.example', 'bob@sub.test']), forwardConditions: { 'ann@home.example': 'from contains boss@acme.test' } }, mailbox('bob@sub.test')] }),
      policies({ 'acme.test': 'reject' }),
    );
    expect(r.edges).toEqual([
      { from: 'ann@acme.test', to: 'ann@home.example', kind: 'forward', keepCopy: false, conditional: true, condition: 'from contains boss@acme.test' },
      { from: 'ann@acme.test', to: 'bob@sub.test', kind: 'forward', keepCopy: false },
    ]);
    expect(r.findings.find((f) => f.id === 'routing.breaks-dmarc')).toMatchObject({ severity: 'error', dmarcPolicy: 'reject', path: ['ann@acme.test', 'ann@home.example'] });
  });

  it('flags a forwarding loop once, as an ordered cycle', () => {
    const r = analyzeRouting(data({ mailboxes: [mailbox('a@acme.test', ['b@acme.test']), mailbox('b@acme.test', ['c@sub.test']), mailbox('c@sub.test', ['a@acme.test'])] }), policies({}));
    const loops = r.findings.filter((f) => f.id === 'routing.loop');
    expect(loops).toHaveLength(1);
    expect(loops[0]).toMatchObject({ severity: 'error', path: ['a@acme.test', 'b@acme.test', 'c@sub.test'] });
  });

  it('flags chains that leave the organisation and DMARC breakage by the stored policy', () => {
    const r = analyzeRouting(
      data({ mailboxes: [mailbox('a@acme.test', ['me@gmail.test']), mailbox('b@sub.test', ['b@outside.test'])], aliases: [alias('info@acme.test', ['a@acme.test'])] }),
      policies({ 'acme.test': 'reject', 'sub.test': 'none' }),
    );
    const leaves = r.findings.filter((f) => f.id === 'routing.leaves-organisation');
    expect(leaves.map((f) => f.path)).toEqual([['info@acme.test', 'a@acme.test', 'me@gmail.test'], ['b@sub.test', 'b@outside.test']]);
    const dmarc = r.findings.filter((f) => f.id === 'routing.breaks-dmarc');
    expect(dmarc).toHaveLength(1);
    expect(dmarc[0]).toMatchObject({ severity: 'error', domain: 'acme.test', dmarcPolicy: 'reject' });
    expect(r.nodes.find((n) => n.id === 'me@gmail.test')?.kind).toBe('external');
  });

  it('marks DMARC breakage unknown when the domain was never checked', () => {
    const r = analyzeRouting(data({ mailboxes: [mailbox('a@acme.test', ['x@else.test'])] }), policies({}));
    expect(r.findings.find((f) => f.id === 'routing.breaks-dmarc')).toMatchObject({ severity: 'unknown', dmarcPolicy: 'not-checked', message: expect.stringContaining('unknown — not checked') });
    const unread = analyzeRouting(data({ mailboxes: [mailbox('a@acme.test', ['x@else.test'])] }), policies({ 'acme.test': 'unknown' }));
    expect(unread.findings.find((f) => f.id === 'routing.breaks-dmarc')).toMatchObject({ severity: 'unknown', message: expect.stringContaining('could not read it') });
    const none = analyzeRouting(data({ mailboxes: [mailbox('a@acme.test', ['x@else.test'])] }), policies({ 'acme.test': 'none' }));
    expect(none.findings.some((f) => f.id === 'routing.breaks-dmarc')).toBe(false);
  });

  it('reports catch-alls, routes unknown local targets through them, and flags targets that bounce', () => {
    const r = analyzeRouting(
      data({ aliases: [alias('@acme.test', ['ann@acme.test']), alias('x@sub.test', ['nobody@sub.test']), alias('y@acme.test', ['typo@acme.test']), alias('off@acme.test', ['z@else.test'], false)], mailboxes: [mailbox('ann@acme.test')] }),
      policies({}),
    );
    expect(r.findings.find((f) => f.id === 'routing.catch-all')).toMatchObject({ domain: 'acme.test', path: ['@acme.test', 'ann@acme.test'] });
    expect(r.edges).toContainEqual({ from: 'typo@acme.test', to: '@acme.test', kind: 'catch-all' });
    expect(r.findings.filter((f) => f.id === 'routing.dangling').map((f) => f.path)).toEqual([['x@sub.test', 'nobody@sub.test']]);
    // An inactive alias routes nothing.
    expect(r.nodes.some((n) => n.id === 'z@else.test')).toBe(false);
  });

  it('restricts to one domain and what its addresses reach', () => {
    const r = analyzeRouting(data({ mailboxes: [mailbox('a@acme.test', ['b@sub.test']), mailbox('b@sub.test'), mailbox('c@sub.test', ['d@else.test'])] }), policies({}), 'acme.test');
    expect(r.nodes.map((n) => n.id).sort()).toEqual(['a@acme.test', 'b@sub.test']);
    expect(r.findings).toEqual([]);
  });
});

describe('DMARC policy from stored findings', () => {
  it('reads p= from a quoted record of an older run, else what the finding ids say, never a guessed policy', () => {
    expect(dmarcPolicyFromFindings([{ id: 'dmarc.rua-unauthorized', severity: 'error', records: ['_dmarc.acme.test. TXT "v=DMARC1; p=reject; rua=mailto:x@y.test"'] }])).toBe('reject');
    expect(dmarcPolicyFromFindings([{ id: 'dmarc.missing', severity: 'error' }])).toBe('none');
    expect(dmarcPolicyFromFindings([{ id: 'dmarc.missing', severity: 'unknown' }])).toBe('unknown');
    // No DMARC finding says nothing about p=: unknown, not "quarantine or reject".
    expect(dmarcPolicyFromFindings([{ id: 'spf.softfail', severity: 'warning' }])).toBe('unknown');
  });
});
