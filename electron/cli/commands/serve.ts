import { fileURLToPath } from 'node:url';
import { startLoopbackHost, type LoopbackHostOptions } from '../../host/loopback-host.ts';
import { startKeptSession } from '../../host/serve-session.ts';
import { createMonitor } from '../../app/monitor-setup.ts';
import { launchCommand } from '../launch-command.ts';
import { chromiumPrinter } from '../../platform/chromium-printer.ts';
import { parse, parsePort } from '../args.ts';
import { ExitCode, type CliCommand } from '../cli-context.ts';
import { createFileLogger } from '../../platform/logger.ts';
import { dataFiles } from '../../platform/paths.ts';

/** The built renderer, relative to this file in the source tree and in dist/. */
export function defaultRendererDir(): string {
  const fromSource = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  const fromDist = fileURLToPath(new URL('../../../renderer', import.meta.url));
  return import.meta.url.includes('/dist/electron/') ? fromDist : fromSource;
}

/** `mailroom serve`: the console in a browser, on 127.0.0.1 only. */
export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'serve the console to a browser on 127.0.0.1',
  usage: 'mailroom serve [--port N] [--renderer DIR] [--keep-session] [--json]\n  --keep-session reuses the port and key of the last start (kept in the data folder, mode 0600), so a bookmark of the address keeps working',
  async run(argv, ctx) {
    const { values } = parse(argv, { port: { type: 'string' }, renderer: { type: 'string' }, 'keep-session': { type: 'boolean' } }, false);
    const services = ctx.services();
    // A long-running console re-checks monitored domains; one-shot commands never start timers.
    services.dns.start();
    services.migration.start();
    // Evaluations of standards (the console's and the monitor's) run in a worker thread, so the console keeps answering.
    services.standards.evaluateOffThread(true);
    // Alerts: the stored domains (and, once registered, the standards) every 3 hours, through the configured resolvers.
    const { monitor } = createMonitor(services, { logger: createFileLogger(dataFiles(ctx.dataDir).log) });
    monitor.start();
    const options: LoopbackHostOptions = {
      router: services.router,
      events: services.events,
      logger: createFileLogger(dataFiles(ctx.dataDir).log),
      rendererDir: values.renderer ?? defaultRendererDir(),
      port: parsePort(values.port, 'port') ?? 0,
      command: launchCommand(ctx.io.env),
    };
    const host = values['keep-session'] ? await startKeptSession(options, ctx.dataDir) : await startLoopbackHost(options);
    // The console's "Save PDF" prints its own page through this host, as `mailroom report monthly --pdf` does.
    services.printer.use(chromiumPrinter(host.url));
    if (ctx.json) ctx.io.stdout.write(JSON.stringify({ url: host.url, origin: host.origin }) + '\n');
    else {
      const kept = values['keep-session'] ? ' and stays the same at the next start, so you can bookmark it' : '';
      ctx.io.stdout.write(`Mailroom is running. Open this address in your browser (it carries this session's key${kept}):\n\n  ${host.url}\n\nPress Ctrl+C to stop.\n`);
    }
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await monitor.stop();
    await host.close();
    return ExitCode.ok;
  },
};

