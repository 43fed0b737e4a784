import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they lived at the given path, with the repo's own eslint.config.js.
const eslint = new ESLint({ cwd: process.cwd() });
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-properties').map((m) => m.message);
}

// The first lint loads typescript-eslint, which takes seconds on a busy two-core machine.
describe('dependency rule', { timeout: 30_000 }, () => {
  it.each([
    ['renderer/features/x/page.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/features/x/page.tsx', "import fs from 'fs';"],
    ['renderer/features/x/page.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/features/x/page.tsx', "import { Router } from '../../../electron/ipc/router.ts';"],
    ['renderer/features/x/page.tsx', 'export const f = () => window.api;'],
    ['renderer/features/mailboxes/x.tsx', "import { useInventory } from '../domains/inventory-store.ts';"],
    ['renderer/features/mailboxes/x.tsx', "import type { RoutingPanel } from '../routing/routing-panel.tsx';"],
    ['renderer/features/mailboxes/x.tsx', "export { StoragePanel } from '../storage/storage-panel.tsx';"],
    ['renderer/features/mailboxes/deep/x.tsx', "import { useInventory } from '../../domains/inventory-store.ts';"],
    ['renderer/features/x/page.tsx', "import { notify } from '../../app/toast-store.ts';"],
    ['renderer/features/x/deep/page.tsx', "import { useRoute } from '../../../app/use-route.ts';"],
    ['renderer/state/x.ts', "import { useMigrations } from '../features/migrations/migrations-store.ts';"],
    ['renderer/state/x.ts', "import type { RouteId } from '../app/routes.ts';"],
    ['renderer/components/x.tsx', "import { DomainsTable } from '../features/domains/domains-table.tsx';"],
    ['renderer/components/deep/x.tsx', "import { useShortcuts } from '../../app/use-shortcuts.ts';"],
    ['renderer/lib/x.ts', "import { routes } from '../app/routes.ts';"],
    ['shared/domain/x.ts', "import { join } from 'node:path';"],
    ['shared/domain/x.ts', "import { Router } from '../../electron/ipc/router.ts';"],
    ['shared/domain/x.ts', "import React from 'react';"],
    ['electron/dns/x.ts', "import { app } from 'electron';"],
    ['electron/migration/deep/x.ts', "import { composeServices } from '../../app/compose.ts';"],
    ['electron/backends/imap/x.ts', "import { Router } from '../../ipc/router.ts';"],
    ['electron/provisioning/x.ts', "import { Router } from '../ipc/router.ts';"],
    ['electron/routing/x.ts', "import { runCli } from '../cli/main.ts';"],
    ['electron/invite/x.ts', "import { LoopbackHost } from '../host/loopback-host.ts';"],
    ['electron/some-new-service/x.ts', "import { composeServices } from '../app/compose.ts';"],
    ['electron/imap/x.ts', "import { migrateCommand } from '../cli/commands/migrate.ts';"],
    ['electron/ipc/x.ts', "import { ipcMain } from 'electron';"],
    ['electron/preload/x.ts', "import { Router } from '../ipc/router.ts';"],
    ['electron/preload/x.ts', "import type { Foo } from '../../shared/domain/connection.ts';"],
  ])('%s: rejects %s', async (path, code) => {
    expect(await violations(path, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/api/client.ts', "import type { Api } from '../../shared/ipc/contract.ts'; export const f = () => window.api;"],
    [
      'renderer/features/mailboxes/x.tsx',
      "import type { Capabilities } from '../../../shared/domain/provisioning.ts'; import { api } from '../../api/client.ts'; import { Button } from '../../components/button.tsx'; import { canDo } from '../../lib/capability-support.ts'; import { useInventory } from '../../state/inventory-store.ts'; import { runChange } from './mailbox-actions.ts';",
    ],
    ['renderer/features/mailboxes/deep/x.tsx', "import { runChange } from '../mailbox-actions.ts'; import { notify } from '../../../state/toast-store.ts';"],
    ['renderer/state/x.ts', "import { api } from '../api/client.ts'; import type { ToastItem } from '../components/toast.tsx'; import { useConnections } from './connections-store.ts';"],
    ['renderer/app/app.tsx', "import { DomainsPage } from '../features/domains/domains-page.tsx'; import { useToasts } from '../state/toast-store.ts';"],
    ['electron/dns/x.ts', "import { ok } from '../../shared/errors/result.ts'; import { Resolver } from 'node:dns/promises';"],
    ['electron/app/main.ts', "import { app } from 'electron';"],
    ['electron/platform/x.ts', "import { safeStorage } from 'electron';"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron'; import { invokeChannels } from '../../shared/ipc/channels.ts';"],
  ])('%s: allows %s', async (path, code) => {
    expect(await violations(path, code)).toEqual([]);
  });
});
