import type { DnsService } from '../../dns/dns-service.ts';
import type { AreaHandlers } from '../router.ts';

/** Handlers of the `dns` area. */
export function dnsHandlers(service: DnsService): AreaHandlers<'dns'> {
  return {
    check: ([request], ctx) => service.check(request, ctx.signal),
    history: ([domain, limit]) => service.history(domain, limit),
    latest: ([domain]) => service.latest(domain),
    generateRecords: ([plan]) => service.generateRecords(plan),
    generateDkimKey: async ([input], ctx) => {
      ctx.audit.object = `${input.selector}._domainkey.${input.domain}`;
      const result = await service.generateDkimKey(input.domain, input.selector, input.algorithm);
      // the public record only: the private key stays in the keychain
      if (result.ok) ctx.audit.after = { algorithm: result.value.algorithm, record: result.value.record };
      return result;
    },
    exportDkimKey: async ([input], ctx) => {
      ctx.audit.object = `${input.selector}._domainkey.${input.domain}`;
      const result = await service.exportDkimKey(input);
      // where the key went, never the key
      if (result.ok) ctx.audit.after = { path: result.value.path, algorithm: result.value.algorithm, record: result.value.record };
      return result;
    },
    monitored: () => service.monitored(),
    monitor: ([input], ctx) => {
      ctx.audit.object = input.domain;
      const result = service.monitor(input);
      if (result.ok) ctx.audit.after = result.value;
      return result;
    },
    unmonitor: ([domain], ctx) => {
      ctx.audit.object = domain;
      return service.unmonitor(domain);
    },
    cancel: ([runId]) => service.cancel(runId),
    domains: () => service.domains(),
    changesSince: ([since]) => service.changesSince(since),
    markSeen: () => service.markSeen(),
    resolver: () => service.resolver(),
    setResolver: async ([servers], ctx) => {
      ctx.audit.object = 'dns.resolver';
      const before = await service.resolver();
      ctx.audit.before = before.ok ? before.value.servers : null;
      const result = await service.setResolver(servers);
      if (result.ok) ctx.audit.after = result.value.servers;
      return result;
    },
  };
}
