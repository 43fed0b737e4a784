import { create } from 'zustand';
import type { AppInfo } from '../../shared/domain/app.ts';
import { api, hasSession, transport } from '../api/client.ts';
import { fetchLaunchCommand } from '../api/launch.ts';
import { DEFAULT_COMMAND } from '../lib/error-text.ts';

interface AppInfoState {
  readonly info: AppInfo | null;
  /** The command the user ran to start this console, for advice such as "open the address `npm start` printed". */
  readonly command: string;
  load(): Promise<void>;
}

/** Facts about the running Mailroom, loaded once per window. */
export const useAppInfo = create<AppInfoState>()((set) => ({
  info: null,
  command: DEFAULT_COMMAND,
  load: async () => {
    if (hasSession) {
      const result = await api.app.info();
      if (result.ok) return set({ info: result.value, command: result.value.command ?? DEFAULT_COMMAND });
    }
    // No key, or a key the host refuses: the host still says which command printed its address.
    if (transport === 'loopback') {
      const command = await fetchLaunchCommand();
      if (command) set({ command });
    }
  },
}));
