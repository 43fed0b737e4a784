import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { resolveRendererFile } from './renderer-files.ts';

/** Serves a file from `root` (realpath inside it only); unknown paths fall back to index.html (client-side routes). */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): void {
  let found = resolveRendererFile(root, urlPath);
  if (found.kind === 'bad-request') {
    res.writeHead(400, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('The request path is not valid percent-encoding.');
    return;
  }
  if (found.kind === 'forbidden') {
    res.writeHead(403, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
    return;
  }
  if (found.kind === 'missing') found = resolveRendererFile(root, '/index.html');
  if (found.kind !== 'file') {
    res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end('The console has not been built yet: run `npm run build` (or `npm start`).');
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': found.type, 'cache-control': 'no-cache' });
  createReadStream(found.path).pipe(res);
}
