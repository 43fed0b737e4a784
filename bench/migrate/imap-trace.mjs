// A --import preload that stamps every IMAP command written and every tagged answer (with EXISTS,
// STATUS and VANISHED) read on each TLS connection of a `migrate` process, to see per command where
// a pass spends its time. Lines: "<seconds since MR_T0> t<thread> c<connection> <dir> <text>".
// Run: MR_T0=$(date +%s%3N) MR_TRACE=/tmp/x.trace NODE_OPTIONS="--import $PWD/bench/migrate/imap-trace.mjs" node bench/migrate/delta.ts …
import { Buffer } from 'node:buffer';
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import process from 'node:process';
import tls from 'node:tls';
import { threadId } from 'node:worker_threads';

const out = process.env.MR_TRACE ?? '/tmp/imap-trace.log';
const t0 = Number(process.env.MR_T0 ?? 0);
let next = 0;
const log = (id, dir, text) => appendFileSync(out, `${((Date.now() - t0) / 1000).toFixed(3)} t${threadId} c${id} ${dir} ${text}\n`);
const TAGGED = /^[A-Za-z0-9.]+ (OK|NO|BAD)/;
const UNTAGGED = /^\* \d+ EXISTS|^\* STATUS|^\* VANISHED/;

function traced(socket, port) {
  const id = ++next;
  log(id, '*', `connect ${port}`);
  const write = socket.write;
  socket.write = function (chunk, ...rest) {
    const text = Buffer.isBuffer(chunk) ? chunk.subarray(0, 400).toString('latin1') : String(chunk).slice(0, 400);
    for (const line of text.split('\r\n')) {
      // Credentials never reach the trace.
      if (/ (LOGIN|AUTHENTICATE) /i.test(line)) log(id, '>', `${line.split(' ').slice(0, 2).join(' ')} …`);
      else if (/^[A-Za-z0-9.]+ [A-Z]/.test(line)) log(id, '>', line.slice(0, 160));
    }
    return write.call(this, chunk, ...rest);
  };
  let rest = '';
  socket.on('data', (data) => {
    const lines = (rest + data.toString('latin1')).split('\r\n');
    rest = lines.pop().slice(-2000);
    for (const line of lines) if (TAGGED.test(line) || UNTAGGED.test(line)) log(id, '<', line.slice(0, 160));
  });
  socket.on('close', () => log(id, '*', 'close'));
  return socket;
}

// Only the CLI's migrate command (the bench's own clients are left alone).
if (process.argv.includes('migrate')) {
  // process.uptime(): how long Node took from the process's start to this preload.
  log(0, '*', `start pid ${process.pid} (process started ${(process.uptime()).toFixed(3)} s before)`);
  process.on('exit', (code) => log(0, '*', `exit ${code}`));
  const connect = tls.connect;
  tls.connect = function (...args) {
    return traced(connect.apply(this, args), typeof args[0] === 'object' ? args[0].port : args[0]);
  };
  // `import { connect } from 'node:tls'` binds at import time: publish the wrapper to ESM importers.
  syncBuiltinESMExports();
}
