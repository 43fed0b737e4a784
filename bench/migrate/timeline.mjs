// A --import preload for one `migrate` re-run: every module load, TLS connect/handshake, IMAP line written and chunk read, and the exit,
// as "<ms wall since MR_T0> <ms CPU of the process> <event>", written at exit to MR_TL. Run: MR_T0=$(date +%s%3N) MR_TL=/tmp/x.log node --import $PWD/bench/migrate/timeline.mjs dist/electron/cli/main.js migrate …
import { Buffer } from 'node:buffer';
import { appendFileSync } from 'node:fs';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import process from 'node:process';
import tls from 'node:tls';
const out = process.env.MR_TL ?? '/tmp/timeline.log';
const t0 = Number(process.env.MR_T0 ?? 0);
const lines = [];
const cpu = () => { const u = process.cpuUsage(); return ((u.user + u.system) / 1000).toFixed(0); };
const log = (s) => lines.push(`${(Date.now() - t0).toString().padStart(4)} ${cpu().padStart(4)} ${s}`);
log(`preload (uptime ${(process.uptime() * 1000).toFixed(0)} ms)`);
registerHooks({
  load(url, context, next) {
    const r = next(url, context);
    log(`load ${url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/')}`);
    return r;
  },
});
const connect = tls.connect;
tls.connect = function (...args) {
  const s = connect.apply(this, args);
  const port = typeof args[0] === 'object' ? args[0].port : args[0];
  log(`connect ${port}`);
  s.once('connect', () => log(`tcp ${port}`));
  s.once('secureConnect', () => log(`tls ${port}`));
  const w = s.write;
  s.write = function (chunk, ...rest) {
    const t = Buffer.isBuffer(chunk) ? chunk.subarray(0, 120).toString('latin1') : String(chunk).slice(0, 120);
    log(`> ${port} ${/LOGIN|AUTHENTICATE/i.test(t) ? t.split(' ').slice(0, 2).join(' ') : t.split('\r\n')[0]} (${Buffer.byteLength(chunk)} B)`);
    return w.call(this, chunk, ...rest);
  };
  s.on('data', (d) => { const tx = d.toString('latin1'); const tagged = tx.split('\r\n').filter((l) => /^[A-Za-z0-9.]+ (OK|NO|BAD)|^\* OK|^\* BYE/.test(l)); log(`< ${port} ${d.length} B ${tagged.slice(0,3).join(' | ').slice(0, 100)}`); });
  s.once('close', () => log(`close ${port}`));
  return s;
};
syncBuiltinESMExports();
process.on('exit', (c) => { log(`exit ${c}`); appendFileSync(out, lines.join('\n') + '\n'); });
