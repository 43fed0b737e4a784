import { createServer } from 'node:net';

/** A free loopback port for a server a test starts itself. */
// Below the kernel's ephemeral range (32768+), so that no outgoing connection can take it between
// this check and the moment the server binds it.
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 12000 + Math.floor(Math.random() * 8000);
    const server = createServer();
    const bound = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (bound) {
      await new Promise<void>((done) => server.close(() => done()));
      return port;
    }
  }
}
