import { describe, expect, it } from 'vitest';
import { listOperations } from '../../../../shared/ipc/channels.ts';
import { createLoopbackApi } from '../../../../renderer/api/loopback-api.ts';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeFetch(answer: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return answer({ url, init });
  };
  return { sent, fetch };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const noEvents = { on: () => () => undefined };

describe('loopback api transport', () => {
  it('posts every contract operation to /api/<area>.<method> with the token and the arguments as a JSON array', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, { ok: true, value: 'v' }));
    const api = createLoopbackApi({ token: 'T0KEN', fetch, events: noEvents }) as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
    for (const [area, method] of listOperations()) {
      expect(await api[area]![method]!('a', 1)).toEqual({ ok: true, value: 'v' });
    }
    expect(sent.map((s) => s.url)).toEqual(listOperations().map(([a, m]) => `/api/${a}.${m}`));
    for (const { init } of sent) {
      expect(init.method).toBe('POST');
      expect(init.headers).toMatchObject({ authorization: 'Bearer T0KEN', 'content-type': 'application/json' });
      expect(init.body).toBe('["a",1]');
    }
  });

  it('passes a failed Result through unchanged, whatever the HTTP status', async () => {
    const invalid = { ok: false, error: { code: 'input.invalid', message: 'port: too big', retryable: false } };
    const { fetch } = fakeFetch(() => json(400, invalid));
    const api = createLoopbackApi({ token: 't', fetch, events: noEvents });
    expect(await api.connections.remove('x')).toEqual(invalid);
  });

  it('turns HTTP 401 into transport.unauthorized', async () => {
    const { fetch } = fakeFetch(() => json(401, { ok: false, error: { code: 'transport.unauthorized', message: 'x', retryable: false } }));
    const result = await createLoopbackApi({ token: 'stale', fetch, events: noEvents }).connections.list();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('transport.unauthorized');
  });

  it('turns a network failure into a retryable io.failed instead of throwing', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const result = await createLoopbackApi({ token: 't', fetch, events: noEvents }).app.info();
    expect(result).toMatchObject({ ok: false, error: { code: 'io.failed', retryable: true } });
    if (!result.ok) expect(result.error.message).toContain('Failed to fetch');
  });

  it('turns a body that is not a Result into internal', async () => {
    const html = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    expect(await createLoopbackApi({ token: 't', fetch: html.fetch, events: noEvents }).audit.verify()).toMatchObject({
      ok: false,
      error: { code: 'internal', retryable: true },
    });
    const odd = fakeFetch(() => json(200, { hello: 'world' }));
    expect(await createLoopbackApi({ token: 't', fetch: odd.fetch, events: noEvents }).audit.verify()).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('answers transport.unauthorized without a request when the tab has no token', async () => {
    const { sent, fetch } = fakeFetch(() => json(200, { ok: true, value: [] }));
    const result = await createLoopbackApi({ token: null, fetch, events: noEvents }).connections.list();
    expect(result).toMatchObject({ ok: false, error: { code: 'transport.unauthorized' } });
    expect(sent).toEqual([]);
  });

  it('delegates event subscriptions to the event stream', () => {
    const subscribed: string[] = [];
    const events = { on: (event: string) => (subscribed.push(event), () => undefined) };
    const api = createLoopbackApi({ token: 't', fetch: fakeFetch(() => json(200, {})).fetch, events: events as never });
    api.on('audit.appended', () => undefined);
    expect(subscribed).toEqual(['audit.appended']);
  });
});
