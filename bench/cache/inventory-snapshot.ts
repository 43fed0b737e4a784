// The inventory of the scale benches and tests: 1,000 domains and 100,000 mailboxes by default.
import type { InventorySnapshot } from '../../electron/db/inventory-repo.ts';
import type { AliasInfo, DomainInfo, ForwardingInfo, GroupInfo, MailboxInfo } from '../../shared/domain/provisioning.ts';

const GB = 1024 ** 3;

/** A realistic inventory: names, quotas, usage (some near quota), 5 % forwarding, a few aliases, groups and a loop. */
export function inventorySnapshot(domainCount: number, mailboxCount: number): InventorySnapshot {
  const first = ['anna', 'ben', 'carla', 'dimitri', 'eva', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kim', 'lea', 'marek', 'nora', 'omar', 'pia'];
  const last = ['meyer', 'novak', 'silva', 'okafor', 'berg', 'rossi', 'kowalski', 'haddad'];
  const names = Array.from({ length: domainCount }, (_, i) => (i === 0 ? 'example.com' : `client${i}.example`));
  const mailboxes: MailboxInfo[] = [];
  const forwarding: ForwardingInfo[] = [];
  for (let i = 0; i < mailboxCount; i += 1) {
    const domain = names[i % domainCount]!;
    const f = first[i % first.length]!;
    const l = last[(i >> 4) % last.length]!;
    const address = `${f}.${l}${i}@${domain}`;
    const quotaBytes = i % 7 === 0 ? null : (1 + (i % 4)) * GB;
    const usedBytes = quotaBytes ? Math.round(quotaBytes * (i % 23 === 0 ? 0.95 : ((i * 7919) % 1000) / 1300)) : (i * 7919) % (3 * GB);
    mailboxes.push({ address, domain, displayName: `${f[0]!.toUpperCase()}${f.slice(1)} ${l[0]!.toUpperCase()}${l.slice(1)}`, active: i % 31 !== 0, quotaBytes, usedBytes, messageCount: (i * 13) % 40_000 });
    if (i % 20 === 0) forwarding.push({ address, targets: [i % 40 === 0 ? `${f}@gmail.com` : `archive@${domain}`], keepCopy: i % 3 === 0, state: 'active' });
  }
  // One pass over the mailboxes: mailbox j belongs to domain j % domainCount.
  const count = new Array<number>(domainCount).fill(0);
  const used = new Array<number>(domainCount).fill(0);
  mailboxes.forEach((m, j) => {
    count[j % domainCount]! += 1;
    used[j % domainCount]! += m.usedBytes ?? 0;
  });
  const domains: DomainInfo[] = names.map((name, i) => ({
    name,
    description: i === 0 ? 'Head office' : null,
    active: true,
    mailboxCount: count[i]!,
    quotaBytes: i % 3 === 0 ? count[i]! * 2 * GB : null,
    usedBytes: used[i]!,
  }));
  const aliases: AliasInfo[] = [
    { address: 'sales@example.com', domain: 'example.com', targets: [mailboxes[0]!.address, mailboxes[domainCount]!.address], active: true },
    { address: '@example.com', domain: 'example.com', targets: [mailboxes[0]!.address], active: true },
    { address: 'loop-a@example.com', domain: 'example.com', targets: ['loop-b@example.com'], active: true },
    { address: 'loop-b@example.com', domain: 'example.com', targets: ['loop-a@example.com'], active: true },
    { address: 'press@example.com', domain: 'example.com', targets: ['agency@outside.example'], active: true },
  ];
  const groups: GroupInfo[] = [{ address: 'team@example.com', name: 'Everyone at head office', members: mailboxes.slice(0, 40 * domainCount).filter((m) => m.domain === 'example.com').map((m) => m.address).slice(0, 12) }];
  return { domains, mailboxes, aliases, groups, forwarding };
}

