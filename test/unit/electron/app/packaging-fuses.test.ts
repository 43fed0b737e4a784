import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// electron-builder's own loader and schema check, so a misspelt key fails here and not at `npm run dist`.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration that flips the hardening fuses', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    // The integrity and load-from-asar fuses only mean something when the app is an asar archive.
    expect(config.asar ?? true).not.toBe(false);
    // Compiling electron-builder's schema takes seconds on a busy machine.
  }, 30_000);
});
