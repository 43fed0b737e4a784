import { describe, expect, it } from 'vitest';
import { LiveEvents, type LiveStatus, type SocketLike } from '../../../../renderer/api/live-events.ts';

class FakeSocket implements SocketLike {
  onopen: ((ev: never) => void) | null = null;
  onmessage: ((ev: never) => void) | null = null;
  onclose: ((ev: never) => void) | null = null;
  onerror: ((ev: never) => void) | null = null;
  closed = false;
  open(): void {
    (this.onopen as (ev: unknown) => void)({});
  }
  receive(data: unknown): void {
    (this.onmessage as (ev: { data: unknown }) => void)({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
  drop(): void {
    (this.onclose as (ev: unknown) => void)({});
  }
  close(): void {
    this.closed = true;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const statuses: LiveStatus[] = [];
  const live = new LiveEvents({
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
    delays: [100, 200, 400],
  });
  live.onStatus((s) => statuses.push(s));
  return { live, sockets, timers, statuses };
}

describe('live events over a WebSocket', () => {
  it('connects on the first subscription and delivers contract events to their listeners only', () => {
    const { live, sockets } = setup();
    expect(sockets).toHaveLength(0);
    const audit: unknown[] = [];
    const changed: unknown[] = [];
    live.on('audit.appended', (p) => audit.push(p));
    live.on('connections.changed', (p) => changed.push(p));
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    sockets[0]!.receive({ event: 'audit.appended', payload: { seq: 1 } });
    sockets[0]!.receive({ event: 'not.an.event', payload: 1 });
    sockets[0]!.receive('not json');
    expect(audit).toEqual([{ seq: 1 }]);
    expect(changed).toEqual([]);
  });

  it('stops calling a listener after unsubscribe', () => {
    const { live, sockets } = setup();
    const got: unknown[] = [];
    const off = live.on('connections.changed', (p) => got.push(p));
    sockets[0]!.receive({ event: 'connections.changed', payload: [] });
    off();
    sockets[0]!.receive({ event: 'connections.changed', payload: [] });
    expect(got).toHaveLength(1);
  });

  it('reconnects with growing delays and starts over after a successful open', () => {
    const { live, sockets, timers, statuses } = setup();
    live.on('audit.appended', () => undefined);
    sockets[0]!.drop();
    timers.shift()!.fn();
    sockets[1]!.drop();
    timers.shift()!.fn();
    sockets[2]!.drop();
    expect(timers.map((t) => t.ms)).toEqual([400]);
    timers.shift()!.fn();
    sockets[3]!.drop();
    expect(timers.map((t) => t.ms)).toEqual([400]);
    timers.shift()!.fn();
    sockets[4]!.open();
    sockets[4]!.drop();
    expect(timers.map((t) => t.ms)).toEqual([100]);
    expect(statuses.slice(0, 2)).toEqual(['connecting', 'retrying']);
    expect(statuses).toContain('open');
  });

  it('close() shuts the socket and stops reconnecting', () => {
    const { live, sockets, timers } = setup();
    live.on('audit.appended', () => undefined);
    live.close();
    expect(sockets[0]!.closed).toBe(true);
    expect(timers).toEqual([]);
    expect(live.status).toBe('idle');
  });
});
