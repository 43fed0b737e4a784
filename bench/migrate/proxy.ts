// A latency proxy in its own process (the bench blocks in spawnSync): node bench/migrate/proxy.ts TARGET_PORT DELAY_MS [--nagle]
// Prints {"port":N} once listening; runs until killed. TCP_NODELAY on both legs unless --nagle (see README: why).
import { startTcpProxy } from '../../test/fakes/tcp-proxy.ts';

const [targetPort, delayMs] = process.argv.slice(2, 4).map(Number);
const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: targetPort!, delayMs: delayMs!, noDelay: !process.argv.includes('--nagle') });
process.stdout.write(JSON.stringify({ port: proxy.port }) + '\n');
