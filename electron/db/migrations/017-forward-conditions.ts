/**
 * Forwards that only some mail takes (a Sieve `if`, a Gmail filter, an inbox rule's conditions): per mailbox, a JSON
 * object from target to the condition in words; NULL where every target receives all mail.
 */
export const forwardConditionsSchema = `
ALTER TABLE mailboxes ADD COLUMN forward_conditions_json TEXT;
`;
