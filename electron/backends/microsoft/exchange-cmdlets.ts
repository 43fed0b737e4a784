// Exchange Online PowerShell (ExchangeOnlineManagement module) commands for what Graph cannot do
// (forwarding, alias domains, DKIM). Mailroom shows them verbatim; a future sidecar may run them through pwsh.

/** Quotes a value as a PowerShell single-quoted string ('' escapes a quote). */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Adds and/or removes secondary SMTP addresses on a mailbox. */
export function setMailboxAddresses(identity: string, add: readonly string[], remove: readonly string[] = []): string {
  const parts = [
    ...(add.length ? [`Add=${add.map((a) => psQuote(`smtp:${a}`)).join(',')}`] : []),
    ...(remove.length ? [`Remove=${remove.map((a) => psQuote(`smtp:${a}`)).join(',')}`] : []),
  ];
  return `Set-Mailbox -Identity ${psQuote(identity)} -EmailAddresses @{${parts.join('; ')}}`;
}

/** Mailbox-level SMTP forwarding (Exchange keeps or drops the local copy). */
export function setMailboxForwarding(identity: string, target: string | null, keepCopy: boolean): string {
  if (target === null) return `Set-Mailbox -Identity ${psQuote(identity)} -ForwardingSmtpAddress $null -DeliverToMailboxAndForward $false`;
  return `Set-Mailbox -Identity ${psQuote(identity)} -ForwardingSmtpAddress ${psQuote(`smtp:${target}`)} -DeliverToMailboxAndForward ${keepCopy ? '$true' : '$false'}`;
}

/** Mailbox quota; Exchange takes the three thresholds together, here all set to the same size in bytes. */
export function setMailboxQuota(identity: string, bytes: number | null): string {
  const size = bytes === null ? 'Unlimited' : `'${bytes} B'`;
  return `Set-Mailbox -Identity ${psQuote(identity)} -UseDatabaseQuotaDefaults $false -IssueWarningQuota ${size} -ProhibitSendQuota ${size} -ProhibitSendReceiveQuota ${size}`;
}

/** Replaces the members of a distribution list or mail-enabled security group. */
export function updateDistributionGroupMembers(identity: string, members: readonly string[]): string {
  return `Update-DistributionGroupMember -Identity ${psQuote(identity)} -Members ${members.map(psQuote).join(',')} -Confirm:$false`;
}

/** Creates a distribution list with members. */
export function newDistributionGroup(address: string, name: string, members: readonly string[]): string {
  return `New-DistributionGroup -Name ${psQuote(name)} -PrimarySmtpAddress ${psQuote(address)} -Members ${members.map(psQuote).join(',')}`;
}

/** Removes a distribution list. */
export function removeDistributionGroup(identity: string): string {
  return `Remove-DistributionGroup -Identity ${psQuote(identity)} -Confirm:$false`;
}

/** Creates and enables DKIM signing for a domain. */
export function newDkimSigningConfig(domain: string): string {
  return `New-DkimSigningConfig -DomainName ${psQuote(domain)} -Enabled $true`;
}

/** Catch-all workaround: relay unknown recipients, and redirect mail not sent to an existing mailbox. */
export function catchAllWorkaround(domain: string, target: string): string {
  const everyone = `All mailboxes ${domain}`;
  return [
    `Set-AcceptedDomain -Identity ${psQuote(domain)} -DomainType InternalRelay`,
    `New-DynamicDistributionGroup -Name ${psQuote(everyone)} -IncludedRecipients MailboxUsers`,
    `New-TransportRule -Name ${psQuote(`Catch-all ${domain}`)} -RecipientDomainIs ${psQuote(domain)} -ExceptIfSentToMemberOf ${psQuote(everyone)} -RedirectMessageTo ${psQuote(target)}`,
  ].join('; ');
}

/** Every mailbox with mailbox-level SMTP forwarding, which Graph does not expose. */
export function getMailboxForwarding(): string {
  return 'Get-Mailbox -ResultSize Unlimited -Filter "ForwardingSmtpAddress -ne `$null -or ForwardingAddress -ne `$null" | Select-Object PrimarySmtpAddress,ForwardingSmtpAddress,ForwardingAddress,DeliverToMailboxAndForward';
}

/** Live mailbox usage (Graph's report is 24–48 h old and CSV). */
export function getMailboxStatistics(identity: string): string {
  return `Get-EXOMailboxStatistics -Identity ${psQuote(identity)} | Select-Object TotalItemSize,ItemCount`;
}
