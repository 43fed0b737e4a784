import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverHomes, DiscoveryAuthError } from '../../../electron/dav/dav-discovery.ts';

// A minimal DAV server on loopback: well-known redirects, a principal per context path, and the home sets it names.
interface FakeDav {
  readonly wellKnown: Record<'caldav' | 'carddav', string>;
  /** Context path → the principal it names and the homes that principal has (a missing one answers 404 in its propstat). */
  readonly contexts: Record<string, { principal: string; calendarHome?: string; addressbookHome?: string }>;
  readonly refuse?: boolean;
}

let server: Server | undefined;
const requests: string[] = [];

afterEach(async () => {
  requests.length = 0;
  await new Promise((done) => server?.close(done));
  server = undefined;
});

async function start(fake: FakeDav): Promise<string> {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push(`${req.method} ${path}`);
      if (fake.refuse) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="dav"' }).end();
      const known = /^\/\.well-known\/(caldav|carddav)$/.exec(path)?.[1] as 'caldav' | 'carddav' | undefined;
      if (known) return void res.writeHead(301, { location: fake.wellKnown[known] }).end();
      const context = fake.contexts[path];
      if (context && body.includes('current-user-principal')) return void multistatus(res, path, [`<d:current-user-principal><d:href>${context.principal}</d:href></d:current-user-principal>`], []);
      const principal = Object.values(fake.contexts).find((c) => c.principal === path);
      if (principal) {
        const found: string[] = [];
        const missing: string[] = [];
        for (const [tag, home] of [['c:calendar-home-set', principal.calendarHome], ['card:addressbook-home-set', principal.addressbookHome]] as const) {
          if (!body.includes(tag.split(':')[1]!)) continue;
          if (home) found.push(`<${tag}><d:href>${home}</d:href></${tag}>`);
          else missing.push(`<${tag}/>`);
        }
        return void multistatus(res, path, found, missing);
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
}

function multistatus(res: ServerResponse, href: string, found: string[], missing: string[]): void {
  const propstat = (props: string[], status: string): string => (props.length ? `<d:propstat><d:prop>${props.join('')}</d:prop><d:status>HTTP/1.1 ${status}</d:status></d:propstat>` : '');
  res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
  res.end(`<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:response><d:href>${href}</d:href>${propstat(found, '200 OK')}${propstat(missing, '404 Not Found')}</d:response></d:multistatus>`);
}

const headers = { authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` };

describe('DAV account discovery', () => {
  it('finds both homes of a shared context path with one principal lookup and one home PROPFIND', async () => {
    const url = await start({ wellKnown: { caldav: '/dav/', carddav: '/dav/' }, contexts: { '/dav/': { principal: '/dav/alice/', calendarHome: '/dav/alice/', addressbookHome: '/dav/alice/' } } });
    expect(await discoverHomes(url, headers)).toEqual({ caldav: `${url}dav/alice/`, carddav: `${url}dav/alice/` });
    expect(requests.sort()).toEqual(['PROPFIND /.well-known/caldav', 'PROPFIND /.well-known/carddav', 'PROPFIND /dav/', 'PROPFIND /dav/alice/']);
  });

  it('follows CalDAV and CardDAV to their own context paths when the server sends them to different places', async () => {
    const url = await start({
      wellKnown: { caldav: '/cal/', carddav: '/card/' },
      contexts: { '/cal/': { principal: '/cal/principals/alice/', calendarHome: '/cal/home/alice/' }, '/card/': { principal: '/card/principals/alice/', addressbookHome: '/card/home/alice/' } },
    });
    expect(await discoverHomes(url, headers)).toEqual({ caldav: `${url}cal/home/alice/`, carddav: `${url}card/home/alice/` });
  });

  it('leaves out the protocol a principal has no home for', async () => {
    const url = await start({ wellKnown: { caldav: '/dav/', carddav: '/dav/' }, contexts: { '/dav/': { principal: '/dav/alice/', calendarHome: '/dav/alice/calendars/' } } });
    expect(await discoverHomes(url, headers)).toEqual({ caldav: `${url}dav/alice/calendars/`, carddav: null });
  });

  it('reports a refused login as such', async () => {
    const url = await start({ wellKnown: { caldav: '/dav/', carddav: '/dav/' }, contexts: {}, refuse: true });
    await expect(discoverHomes(url, headers)).rejects.toThrow(DiscoveryAuthError);
  });
});
