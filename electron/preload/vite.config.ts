import { defineConfig } from 'vite';

// A sandboxed preload may only require 'electron', so shared/ code is bundled into one CommonJS file.
export default defineConfig({
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    minify: false,
    lib: { entry: 'electron/preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
