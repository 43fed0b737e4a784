import { channelName, invokeChannels } from '../../shared/ipc/channels.ts';
import type { Api, WindowApi } from '../../shared/ipc/contract.ts';
import { err, type Result } from '../../shared/errors/result.ts';
import type { LiveEvents } from './live-events.ts';

/** What the loopback transport needs from the browser; tests pass fakes. */
export interface LoopbackApiOptions {
  /** The session token, or null when this tab was opened without one. */
  readonly token: string | null;
  readonly fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly events: Pick<LiveEvents, 'on'>;
  /** Prefix of the /api URLs; empty means "this origin". */
  readonly baseUrl?: string;
}

// The advice (which command printed the address) is the sentence of the code; these say what happened.
const NO_TOKEN = 'This browser tab has no Mailroom session key.';

/** Builds the `window.api` shape over the loopback host: POST /api/<area>.<method>, events over a WebSocket. */
export function createLoopbackApi(options: LoopbackApiOptions): WindowApi {
  const base = options.baseUrl ?? '';
  const call = async (channel: string, args: unknown[]): Promise<Result<unknown>> => {
    if (options.token === null) return err('transport.unauthorized', NO_TOKEN);
    let response: Response;
    try {
      response = await options.fetch(`${base}/api/${channel}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
        cache: 'no-store',
      });
    } catch (error) {
      return err('io.failed', `Cannot reach the Mailroom host for ${channel} (${describe(error)}).`, {
        retryable: true,
      });
    }
    if (response.status === 401) {
      return err('transport.unauthorized', `The Mailroom host refused the session key for ${channel}.`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      return err('internal', `The Mailroom host answered ${channel} with HTTP ${response.status} and no readable JSON (${describe(error)}).`, {
        retryable: response.status >= 500,
      });
    }
    if (isResult(body)) return body;
    return err('internal', `The Mailroom host answered ${channel} with HTTP ${response.status} and an unexpected body.`);
  };

  const areas: Record<string, Record<string, (...args: unknown[]) => Promise<Result<unknown>>>> = {};
  for (const [area, methods] of Object.entries(invokeChannels)) {
    const table: Record<string, (...args: unknown[]) => Promise<Result<unknown>>> = {};
    for (const method of Object.keys(methods)) {
      const channel = channelName(area, method);
      table[method] = (...args) => call(channel, args);
    }
    areas[area] = Object.freeze(table);
  }
  const on: WindowApi['on'] = (event, listener) => options.events.on(event, listener);
  return Object.freeze({ ...(areas as unknown as Api), on });
}

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const value = body as { ok: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  if (value.ok === true) return 'value' in value;
  return value.ok === false && typeof value.error?.code === 'string' && typeof value.error.message === 'string';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
