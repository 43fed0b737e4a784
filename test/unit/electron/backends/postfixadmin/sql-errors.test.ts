import { describe, expect, it } from 'vitest';
import { classifySqlError } from '../../../../../electron/backends/postfixadmin/sql-errors.ts';

describe('classifySqlError', () => {
  it("keeps the database's own message, scrubbed of password hashes, in the message and in detail.backendMessage", () => {
    const error = classifySqlError({ code: '23505', message: 'duplicate key value violates unique constraint "mailbox_pkey" {BLF-CRYPT}$2y$05$abc' }, 'Creating mailbox a@b.test');
    expect(error.code).toBe('backend.conflict');
    expect(error.message).toBe('Creating mailbox a@b.test: duplicate key value violates unique constraint "mailbox_pkey" {…}');
    expect(error.detail).toMatchObject({ driverCode: '23505', backendMessage: 'duplicate key value violates unique constraint "mailbox_pkey" {…}' });
  });
});
