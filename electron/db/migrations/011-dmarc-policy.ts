/** The DMARC policy each stored deliverability run found, so the routing view reads it instead of guessing. */
export const dmarcPolicySchema = `
ALTER TABLE dns_check_runs ADD COLUMN dmarc_policy TEXT;
`;
