import { domainToASCII } from 'node:url';

/** A Unicode domain name in its ASCII (xn--) form by IDNA (UTS #46), or '' when it cannot be converted. */
export function toAsciiDomain(domain: string): string {
  return domainToASCII(domain.trim().toLowerCase());
}
