// A latency proxy in its own process (the bench blocks in spawnSync): node bench/migrate/proxy.ts TARGET_PORT DELAY_MS
// Prints {"port":N} once listening; runs until killed.
import { startTcpProxy } from '../../test/fakes/tcp-proxy.ts';

const [targetPort, delayMs] = process.argv.slice(2).map(Number);
const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: targetPort!, delayMs: delayMs! });
process.stdout.write(JSON.stringify({ port: proxy.port }) + '\n');
