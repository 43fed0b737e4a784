// Lint enforces the dependency rule of DESIGN.md; the split tsconfigs enforce the same at compile time.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const banNode = { group: ['node:*'], message: 'This layer runs without Node: no node:* modules.' };
const banElectronPkg = { name: 'electron', message: "Only electron/app, electron/platform and electron/preload may import 'electron'." };
const banNodeBuiltins = nodeBuiltins.map((name) => ({ name, message: 'This layer runs without Node.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.toolchain/**', '.fixtures/**', 'test/fixtures/postfixadmin/**', 'test/fixtures/cyrus/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Enums are not erasable; use a union of literals.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [banElectronPkg, ...banNodeBuiltins, { name: 'react', message: 'shared/ is UI-free.' }, { name: 'zustand', message: 'shared/ is UI-free.' }],
          patterns: [banNode, { regex: '^(\\.\\./)+(electron|renderer)(/|$)', message: 'shared/ may import only shared/.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the main process only through window.api.' }, ...banNodeBuiltins],
          patterns: [banNode, { regex: '^(\\.\\./)+electron(/|$)', message: 'The renderer may not import electron/ code; use window.api.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/api/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'window', property: 'api', message: 'Only renderer/api/ touches window.api.' }],
    },
  },
  // Direction inside the renderer: app/ → features/ → state/, components/, lib/, api/. A feature never imports another
  // feature or app/; state/ and the layers under it never import features/ or app/. A rule of its own name, so these
  // options add to the renderer's no-restricted-imports above instead of replacing them.
  ...[1, 2].map((depth) => ({
    files: [`renderer/features/*/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^(\\.\\./){${depth}}(?!\\.\\./)`, message: 'A feature may not import another feature: shared state goes to renderer/state/, shared pieces to renderer/components/.' },
            { regex: `^(\\.\\./){${depth + 1}}app(/|$)`, message: 'Features may not import renderer/app/; the app composes the features.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['renderer/{state,components,lib,api}/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(features|app)(/|$)', message: 'renderer/state, components, lib and api may not import features/ or app/.' }] },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    ignores: ['electron/preload/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banNodeBuiltins,
          patterns: [
            banNode,
            { regex: '^\\.\\./\\.\\./shared/(?!ipc/|errors/)', message: 'The preload may import only shared/ipc and shared/errors.' },
            { regex: '^\\.\\./(?!\\.\\./shared/)', message: 'The preload may not import other electron/ folders.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/app/**', 'electron/platform/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [banElectronPkg],
          patterns: [{ regex: '^(\\.\\./)+renderer(/|$)', message: 'electron/ never imports the renderer.' }],
        },
      ],
    },
  },
  {
    // Every service folder, present and future: all of electron/ but the outer layers.
    files: ['electron/**/*.ts'],
    ignores: ['electron/app/**', 'electron/ipc/**', 'electron/host/**', 'electron/cli/**', 'electron/preload/**', 'electron/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [banElectronPkg],
          patterns: [{ regex: '^(\\.\\./)+(app|ipc|host|cli)/', message: 'Services never import the app, the IPC layer, the host or the CLI.' }],
        },
      ],
    },
  },
  {
    files: ['electron/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(\\.\\./)+(app|ipc|host|cli)/', message: 'Services never import the app, the IPC layer, the host or the CLI.' }] },
      ],
    },
  },
);
