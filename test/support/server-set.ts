import { existsSync, readFileSync } from 'node:fs';

// Vitest setup file of the integration project: with several server sets up (test/servers/with-servers.sh),
// worker K runs its files against set K, so that files side by side never share a Dovecot, Knot, Postfix or Cyrus.
// Child processes and the server scripts inherit the choice: the set's fixtures folder and its ports.
const pool = process.env['VITEST_POOL_ID'];
const fixtures = pool ? process.env[`MAILROOM_FIXTURES_${pool}`] : undefined;
if (fixtures) {
  process.env['MAILROOM_FIXTURES'] = fixtures;
  process.env['MAILROOM_SERVERS'] = `${fixtures}/servers.json`;
  const ports = `${fixtures}/ports.env`;
  // Lines `: "${IMAP_PORT:=10643}"`: set 1's ports, which the caller may have exported, must not reach set K's scripts.
  if (existsSync(ports)) for (const [, name, port] of readFileSync(ports, 'utf8').matchAll(/\$\{(\w+_PORT):=(\d+)\}/g)) process.env[name!] = port;
}
