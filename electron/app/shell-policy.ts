import { isAppUrl } from './app-protocol.ts';

/**
 * The only sites a link in the console may open in the system browser: the admin consoles of
 * the platforms Mailroom manages, matched exactly (no subdomains), https on the default port.
 */
export const EXTERNAL_HOSTS: readonly string[] = ['admin.google.com', 'admin.microsoft.com', 'admin.exchange.microsoft.com'];

/** True when `url` may go to shell.openExternal: https, an allowlisted host, no credentials or port. */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && hosts.includes(parsed.hostname);
}

/** What to do when the page tries to navigate or open a window: never in-app; allowlisted sites in the browser. */
export type NavigationDecision = { readonly action: 'deny' } | { readonly action: 'open-external'; readonly url: string };

/** Decides a navigation or window.open attempt from the page. */
export function decideNavigation(url: string): NavigationDecision {
  return isAllowedExternalUrl(url) ? { action: 'open-external', url: new URL(url).href } : { action: 'deny' };
}

/** The facts about an IPC sender the trust decision needs, taken from Electron's event. */
export interface SenderFacts {
  readonly webContentsId: number;
  /** The sending frame's URL, or null when the frame is gone. */
  readonly frameUrl: string | null;
  /** True when the sending frame is the top-level frame of its webContents. */
  readonly isMainFrame: boolean;
}

/** The parts of Electron's IpcMainInvokeEvent that `senderFacts` reads; structural so tests need no Electron. */
export interface IpcEventLike {
  readonly sender: unknown;
  readonly senderFrame?: unknown;
}

interface FrameLike {
  readonly url?: unknown;
  readonly parent?: unknown;
  readonly frameTreeNodeId?: unknown;
}

/** Extracts the sender's webContents id, frame URL and whether the frame is its main frame. */
export function senderFacts(event: IpcEventLike): SenderFacts {
  const sender = (event.sender ?? {}) as { id?: unknown; mainFrame?: FrameLike };
  const frame = (event.senderFrame ?? null) as FrameLike | null;
  const main = sender.mainFrame;
  const isMainFrame =
    frame !== null && frame.parent === null && main !== undefined && typeof frame.frameTreeNodeId === 'number' && frame.frameTreeNodeId === main.frameTreeNodeId;
  return {
    webContentsId: typeof sender.id === 'number' ? sender.id : -1,
    frameUrl: frame !== null && typeof frame.url === 'string' ? frame.url : null,
    isMainFrame,
  };
}

/** Only the main frame of one of the app's own windows, showing the app's own origin, may call the router. */
export function isTrustedSender(facts: SenderFacts, trustedWebContents: ReadonlySet<number>): boolean {
  return trustedWebContents.has(facts.webContentsId) && facts.isMainFrame && facts.frameUrl !== null && isAppUrl(facts.frameUrl);
}

/**
 * The only permission the console needs: writing to the clipboard (the copy buttons), from the
 * app's own main frame. Notifications are raised by the main process; everything else is refused.
 */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/** Answers both permission requests and permission checks. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isMainFrame && requestingUrl !== undefined && isAppUrl(requestingUrl);
}
