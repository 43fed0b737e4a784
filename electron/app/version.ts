import { existsSync, readFileSync } from 'node:fs';

// Run from source (electron/app) or compiled (dist/electron/app): package.json is two or three levels up.
const candidates = ['../../package.json', '../../../package.json'].map((p) => new URL(p, import.meta.url));
const manifest = candidates.find((url) => existsSync(url));

/** The version in package.json, read once. */
export const version: string = manifest
  ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
  : '0.0.0';
