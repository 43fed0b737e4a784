/** Why a CalDAV/CardDAV URL cannot be used, or null when it can (https, or http to loopback; no password in it). */
export function davUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; give https://[USER@]HOST/ for calendars and contacts.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${url.protocol}// is not a CalDAV/CardDAV scheme; use https://[USER@]HOST/.`;
  if (url.password !== '') return 'put no password in the DAV URL; the IMAP side\'s password is used.';
  // Basic auth over plain HTTP would send the password in clear: only a loopback server may use it.
  if (url.protocol === 'http:' && !/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/.test(url.hostname)) return 'http:// would send the password in clear; use https://.';
  return null;
}
