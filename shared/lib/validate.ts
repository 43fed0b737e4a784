/** Lower-cases and trims a host name; returns null when it is not a plausible host or IP literal. */
export function normalizeHost(input: string): string | null {
  const host = input.trim().toLowerCase().replace(/\.$/, '');
  if (host.length === 0 || host.length > 253) return null;
  if (/^\[?[0-9a-f:.]+\]?$/.test(host) && host.includes(':')) return host.replace(/^\[|\]$/g, '');
  const labels = host.split('.');
  const label = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
  return labels.every((l) => label.test(l)) ? host : null;
}
