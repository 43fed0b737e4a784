import { realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The MIME type of a renderer file by its extension; unknown types are opaque bytes (served with nosniff). */
export function mimeTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Where a URL path of the renderer leads: a real file inside the root, or why not. */
export type RendererFile =
  | { readonly kind: 'file'; readonly path: string; readonly type: string }
  | { readonly kind: 'bad-request' }
  | { readonly kind: 'forbidden' }
  | { readonly kind: 'missing' };

/**
 * Resolves a URL path (`/assets/app.js?v=1`) to a file under `root`. The path is percent-decoded
 * (undecodable → bad-request), and the file is served only if its realpath, symlinks resolved,
 * stays inside the root's realpath (otherwise forbidden). A path ending in `/` means its index.html.
 */
export function resolveRendererFile(root: string, urlPath: string): RendererFile {
  const raw = urlPath.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { kind: 'bad-request' };
  }
  if (decoded.includes('\0')) return { kind: 'bad-request' };
  let relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative === '' || relative === '.' || /[/\\]$/.test(relative)) relative = join(relative, 'index.html');
  const realRoot = realOrNull(root);
  if (realRoot === null) return { kind: 'missing' };
  const candidate = join(realRoot, relative);
  if (!inside(realRoot, candidate)) return { kind: 'forbidden' };
  const real = realOrNull(candidate);
  if (real === null) return { kind: 'missing' };
  // A symlink inside the folder may point anywhere; only where it really leads counts.
  if (!inside(realRoot, real)) return { kind: 'forbidden' };
  if (!isFile(real)) return { kind: 'missing' };
  return { kind: 'file', path: real, type: mimeTypeOf(real) };
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
