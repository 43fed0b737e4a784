import { describe, expect, it } from 'vitest';
import { classifyHttpFailure, classifySdkError, classifyTransportFailure } from '../../../../../electron/backends/http/http-errors.ts';
import { classifyMailcowItems } from '../../../../../electron/backends/mailcow/mailcow-adapter.ts';
import { classifyJmapError } from '../../../../../electron/backends/stalwart/jmap-client.ts';

describe('classifyHttpFailure', () => {
  it.each([
    [401, { error: { code: 401, message: 'Invalid Credentials' } }, 'backend.auth', false],
    [403, { error: { code: 403, message: 'Not Authorized', errors: [{ reason: 'forbidden' }] } }, 'backend.forbidden', false],
    [403, { error: { code: 403, errors: [{ reason: 'rateLimitExceeded' }] } }, 'backend.rateLimited', true],
    [404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, 'backend.notFound', false],
    [409, { error: { code: 409, message: 'Entity already exists.' } }, 'backend.conflict', false],
    [400, { error: { code: 'ObjectConflict', message: 'dup' } }, 'backend.conflict', false],
    [400, { error: { code: 'Request_BadRequest', message: 'bad' } }, 'backend.validation', false],
    [400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, 'backend.auth', false],
    [401, { error: 'invalid_client', error_description: 'AADSTS7000215' }, 'backend.auth', false],
    [429, null, 'backend.rateLimited', true],
    [503, '<html>down</html>', 'backend.unavailable', true],
  ])('%i %j → %s', (status, body, code, retryable) => {
    const error = classifyHttpFailure({ status, body }, 'test');
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it("keeps the vendor's own message in the message and, apart, in detail.backendMessage", () => {
    const error = classifyHttpFailure({ status: 400, body: { error: { code: 'Request_BadRequest', message: 'Quota exceeds the plan limit.' } } }, 'Graph');
    expect(error.message).toContain('Quota exceeds the plan limit.');
    expect(error.detail).toMatchObject({ status: 400, vendorCode: 'Request_BadRequest', backendMessage: 'Quota exceeds the plan limit.' });
    expect(classifyHttpFailure({ status: 400, body: null }, 'x').detail).not.toHaveProperty('backendMessage');
  });

  it('carries Retry-After as retryAfterMs', () => {
    expect(classifyHttpFailure({ status: 429, body: null, retryAfter: '7' }, 't').retryAfterMs).toBe(7000);
  });

  it('classifies gaxios and Graph SDK errors and aborts', () => {
    expect(classifySdkError({ response: { status: 404, data: { error: { message: 'x' } }, headers: new Headers() } }, 'g').code).toBe('backend.notFound');
    expect(classifySdkError({ statusCode: 429, body: '{"error":{"code":"TooManyRequests"}}', headers: new Headers({ 'retry-after': '2' }) }, 'm')).toMatchObject({ code: 'backend.rateLimited', retryAfterMs: 2000 });
    expect(classifySdkError(new DOMException('aborted', 'AbortError'), 'x').code).toBe('cancelled');
    expect(classifyTransportFailure(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 'x')).toMatchObject({ code: 'backend.unavailable', retryable: true });
  });
});

describe('classifyMailcowItems (HTTP 200 bodies)', () => {
  it('passes success items and maps danger/error items', () => {
    expect(classifyMailcowItems([{ type: 'success', msg: ['mailbox_added', 'a@b.c'] }], 'mc')).toBeNull();
    expect(classifyMailcowItems([{ type: 'danger', msg: ['object_exists', 'a@b.c'] }], 'mc')?.code).toBe('backend.conflict');
    expect(classifyMailcowItems([{ type: 'danger', msg: ['mailbox_quota_exceeded', '10240'] }], 'mc')?.code).toBe('backend.validation');
    expect(classifyMailcowItems([{ type: 'error', msg: 'access_denied' }], 'mc')?.code).toBe('backend.forbidden');
    expect(classifyMailcowItems({ type: 'danger', msg: ['domain_not_found'] }, 'mc')?.code).toBe('backend.notFound');
  });

  it("keeps mailcow's message for the console to quote", () => {
    expect(classifyMailcowItems([{ type: 'danger', msg: ['mailbox_quota_exceeded', '10240'] }], 'mc')?.detail).toMatchObject({ backendMessage: 'mailbox_quota_exceeded 10240' });
  });
});

describe('classifyJmapError', () => {
  it('maps SetError types', () => {
    expect(classifyJmapError({ type: 'alreadyExists' }, 's').code).toBe('backend.conflict');
    expect(classifyJmapError({ type: 'invalidProperties', properties: ['name'] }, 's')).toMatchObject({ code: 'backend.validation', message: expect.stringContaining('name') });
    expect(classifyJmapError({ type: 'forbidden' }, 's').code).toBe('backend.forbidden');
    expect(classifyJmapError({ type: 'overQuota', description: 'Quota above the tenant maximum' }, 's').detail).toMatchObject({ backendMessage: 'Quota above the tenant maximum' });
  });

  it('treats an inherited property name as an unknown type, not as a code', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(classifyJmapError({ type }, 's').code).toBe('backend.validation');
    }
  });
});
