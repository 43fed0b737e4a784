import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/** Builds the renderer into dist/renderer; relative asset URLs so app://mailroom (Electron) and the loopback host both work. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The polyfill would be harmless, but nothing we target lacks modulepreload; keep the bundle minimal.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // One bundle read from local disk (app:// or loopback), not fetched over a network: its size
    // costs a few milliseconds of parsing, so the web-oriented 500 kB warning is noise here.
    chunkSizeWarningLimit: 2000,
  },
});
