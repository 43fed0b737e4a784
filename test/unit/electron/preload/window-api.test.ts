import { describe, expect, it } from 'vitest';
import { buildWindowApi } from '../../../../electron/preload/window-api.ts';
import { invokeChannels } from '../../../../shared/ipc/channels.ts';

describe('buildWindowApi', () => {
  it('exposes one frozen function per operation, named after its channel', async () => {
    const invoked: [string, unknown[]][] = [];
    const api = buildWindowApi(async (channel, ...args) => (invoked.push([channel, args]), { ok: true, value: null }), () => () => undefined);
    for (const [area, methods] of Object.entries(invokeChannels)) {
      for (const method of Object.keys(methods)) {
        expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[area]![method]).toBe('function');
      }
    }
    await api.connections.test('id-1');
    expect(invoked).toEqual([['connections.test', ['id-1']]]);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.connections)).toBe(true);
    expect((api as unknown as Record<string, unknown>)['invoke']).toBeUndefined();
  });

  it('subscribes only to declared events', () => {
    const subscribed: string[] = [];
    const api = buildWindowApi(async () => null, (event) => (subscribed.push(event), () => undefined));
    api.on('connections.changed', () => undefined);
    expect(subscribed).toEqual(['connections.changed']);
    expect(() => api.on('nope' as 'connections.changed', () => undefined)).toThrow(/Unknown event/);
  });
});
