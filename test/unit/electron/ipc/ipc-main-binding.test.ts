import { describe, expect, it } from 'vitest';
import { bindIpcMain, type IpcMainLike } from '../../../../electron/ipc/ipc-main-binding.ts';
import type { Router } from '../../../../electron/ipc/router.ts';
import { listOperations } from '../../../../shared/ipc/channels.ts';
import { ok } from '../../../../shared/errors/result.ts';

/** Records handlers like ipcMain and lets the test invoke them as a given sender. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: { sender: unknown }, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: { sender: unknown }, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, sender: unknown, ...args: unknown[]): unknown {
    return this.handlers.get(channel)!({ sender }, ...args);
  }
}

describe('bindIpcMain', () => {
  const calls: [string, unknown][] = [];
  const router = { dispatch: async (channel: string, args: unknown) => (calls.push([channel, args]), ok('done')) } as unknown as Router;
  const trusted = { id: 1 };

  it('registers exactly the operations of the contract', () => {
    const ipc = new FakeIpcMain();
    bindIpcMain(ipc, router, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual(listOperations().map(([a, m]) => `${a}.${m}`).sort());
  });

  it('drops calls from untrusted senders without reaching the router', async () => {
    const ipc = new FakeIpcMain();
    calls.length = 0;
    bindIpcMain(ipc, router, (event) => event.sender === trusted);
    const denied = (await ipc.invoke('connections.list', { id: 2 })) as { ok: boolean; error?: { code: string } };
    expect(denied.ok).toBe(false);
    expect(denied.error?.code).toBe('transport.unauthorized');
    expect(calls).toEqual([]);
    const allowed = (await ipc.invoke('connections.test', trusted, 'abc')) as { ok: boolean };
    expect(allowed.ok).toBe(true);
    expect(calls).toEqual([['connections.test', ['abc']]]);
  });

  it('unregisters everything it registered', () => {
    const ipc = new FakeIpcMain();
    const off = bindIpcMain(ipc, router, () => true);
    off();
    expect(ipc.handlers.size).toBe(0);
  });
});
