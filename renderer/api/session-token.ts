const KEY = 'mailroom.session-token';

/**
 * Moves the loopback session token from the URL fragment (`#token=…`) into sessionStorage and
 * strips it from the address bar; returns the token of this tab, or null when it has none.
 */
export function takeSessionToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string | null {
  const match = /^#token=([^&]+)/.exec(win.location.hash);
  const fromUrl = match?.[1] === undefined ? null : decodeURIComponent(match[1]);
  if (fromUrl !== null) {
    store(win, fromUrl);
    // The token must not linger in history, bookmarks or screenshots of the address bar.
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
  }
  // A fresh token in the address wins; without storage (disabled by policy) it still serves this page load.
  return fromUrl ?? read(win);
}

function store(win: Pick<Window, 'sessionStorage'>, token: string): void {
  try {
    win.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage can be disabled by policy; the caller then keeps the token for this page load only.
  }
}

function read(win: Pick<Window, 'sessionStorage'>): string | null {
  try {
    return win.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}
