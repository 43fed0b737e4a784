// @vitest-environment jsdom
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ok } from '../../../../shared/errors/result.ts';
import type { WindowApi } from '../../../../shared/ipc/contract.ts';
import { createFakeWindowApi, type FakeWindowApi } from '../../../fakes/fake-window-api.ts';
import { connection, domain } from './fixtures.ts';

const pfa = connection('c1', 'postfixadmin', 'Self-hosted');

let fake: FakeWindowApi;
let inventory: typeof import('../../../../renderer/state/inventory-store.ts');
let names: string[];

const listCalls = () => fake.calls.filter((c) => c.channel === 'domains.list').length;
const frames = (n: number) => new Promise<void>((done) => {
  const next = (left: number) => (left === 0 ? done() : requestAnimationFrame(() => next(left - 1)));
  next(n);
});

beforeAll(async () => {
  fake = createFakeWindowApi([pfa]);
  fake.answer('domains.list', () => ok(names.map((n) => domain(pfa, n))));
  (window as { api?: WindowApi }).api = fake.api;
  inventory = await import('../../../../renderer/state/inventory-store.ts');
});

beforeEach(() => {
  fake.calls.length = 0;
  names = ['b.test', 'a.test'];
  inventory.useInventory.setState({ domains: [], loaded: false, loadError: null });
});

describe('inventory reloads', () => {
  it('tells no view anything when a reload finds the list unchanged, and the new list when it changed', async () => {
    await inventory.useInventory.getState().load();
    let told = 0;
    const off = inventory.useInventory.subscribe(() => (told += 1));
    await inventory.useInventory.getState().load();
    expect(told).toBe(0);
    names = ['c.test', ...names];
    await inventory.useInventory.getState().load();
    off();
    expect(told).toBe(1);
    expect(inventory.useInventory.getState().domains.map((d) => d.name)).toEqual(['a.test', 'b.test', 'c.test']);
  });

  it('loads at once for a page when nothing is loaded yet', async () => {
    inventory.reloadForPage();
    expect(listCalls()).toBe(1);
    await frames(1);
  });

  it('reloads a loaded list only after the page has drawn its first frames, and not once the page is gone', async () => {
    await inventory.useInventory.getState().load();
    fake.calls.length = 0;
    inventory.reloadForPage();
    await frames(2);
    expect(listCalls()).toBe(0);
    await frames(4);
    await new Promise((done) => setTimeout(done, 50));
    expect(listCalls()).toBe(1);

    const cancel = inventory.reloadForPage();
    cancel();
    await frames(6);
    await new Promise((done) => setTimeout(done, 50));
    expect(listCalls()).toBe(1);
  });
});
