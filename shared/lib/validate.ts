/** Lower-cases and trims a host name; returns null when it is not a plausible host or IP literal. */
export function normalizeHost(input: string): string | null {
  const host = input.trim().toLowerCase().replace(/\.$/, '');
  if (host.length === 0 || host.length > 253) return null;
  if (/^\[?[0-9a-f:.]+\]?$/.test(host) && host.includes(':')) return host.replace(/^\[|\]$/g, '');
  const labels = host.split('.');
  const label = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
  return labels.every((l) => label.test(l)) ? host : null;
}

/** True for a host name or IP literal that stays on this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(input: string): boolean {
  const host = normalizeHost(input);
  if (host === null) return false;
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1' || /^(0{0,4}:){1,7}0{0,3}1$/.test(host);
}

/** The host of an http(s) URL when the URL is plain http, else null (https, or not a URL). */
export function plainHttpHost(url: string): string | null {
  const m = /^http:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  return m ? m[1]!.replace(/^\[|\]$/g, '') : null;
}

/** Why a connection would send its credentials in clear to another machine, or null when it would not. */
export function plaintextProblem(target: { readonly tls?: string; readonly host?: string; readonly url?: string }): string | null {
  if (target.url !== undefined) {
    const host = plainHttpHost(target.url);
    return host !== null && !isLoopbackHost(host) ? `${target.url.slice(0, 200)} is plain http: the credentials would cross the network in clear` : null;
  }
  return target.tls === 'none' && target.host !== undefined && !isLoopbackHost(target.host) ? `TLS "none" to ${target.host.slice(0, 253)} sends the password in clear` : null;
}
