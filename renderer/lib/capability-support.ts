import type { Support } from '../../shared/domain/provisioning.ts';

/** True when Mailroom can perform an operation of this support level itself; unknown support (not fetched yet) lets the services decide. */
export function canDo(support: Support | undefined): boolean {
  return support === undefined || support.level === 'native' || support.level === 'emulated';
}

/** The tooltip for an operation the platform cannot do through Mailroom: where to do it instead. */
export function whyNot(support: Support | undefined, what: string): string | undefined {
  if (canDo(support)) return undefined;
  const prefix = support!.level === 'needs-sidecar' ? `${what} needs a helper outside Mailroom` : `This platform cannot ${what.toLowerCase()} through Mailroom`;
  return support!.manual ? `${prefix}. Do it here instead: ${support!.manual}` : `${prefix}.`;
}
