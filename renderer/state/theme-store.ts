import { create } from 'zustand';

/** The user's theme choice; "system" follows prefers-color-scheme. */
export type ThemePreference = 'system' | 'light' | 'dark';

const KEY = 'mailroom.theme';

interface ThemeState {
  readonly preference: ThemePreference;
  setPreference(preference: ThemePreference): void;
}

/** The theme override, persisted in localStorage (it is not a secret) and applied to <html data-theme>. */
export const useTheme = create<ThemeState>()((set) => ({
  preference: readPreference(),
  setPreference: (preference) => {
    try {
      localStorage.setItem(KEY, preference);
    } catch {
      // Storage may be disabled; the choice then lasts for this page load only.
    }
    applyTheme(preference);
    set({ preference });
  },
}));

/** Sets or clears the data-theme attribute that theme.css keys on. */
export function applyTheme(preference: ThemePreference): void {
  if (preference === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = preference;
}

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}
