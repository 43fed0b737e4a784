/** Which DNS servers answered each stored deliverability run, shown beside its findings. */
export const dnsResolverSchema = `
ALTER TABLE dns_check_runs ADD COLUMN resolver TEXT;
`;
