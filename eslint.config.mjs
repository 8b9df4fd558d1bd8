// One lint configuration for every part. Besides typescript-eslint's recommended rules it enforces the
// architecture of docs/architecture.md: which part may import which, only through a part's public entry
// (`@claude-env/<part>`), and no import cycles.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Each part, its folder, and the parts it may import (through their public entry only). */
const PARTS = {
  engine: { folder: 'engine/src', uses: [] },
  // The protocol carries the engine's data (origins, server definitions) to the client as JSON, so it derives those
  // payload types from the engine's instead of writing them again; it imports types only, and the engine is in
  // both the server's and the extension's bundle anyway.
  protocol: { folder: 'protocol/src', uses: ['engine'] },
  mcp: { folder: 'mcp/src', uses: ['engine'] },
  'language-server': { folder: 'language-server/src', uses: ['engine', 'protocol'] },
  cli: { folder: 'cli/src', uses: ['engine', 'mcp'] },
  extension: { folder: 'extension/src', uses: ['engine', 'mcp', 'protocol'] },
};
const EDITOR_MODULES = ['vscode', 'vscode-languageclient', 'vscode-languageclient/node'];

/** Zones for import-x/no-restricted-paths: a part may reach another allowed part's index.ts, nothing else of it. */
function zonesFor(name) {
  const part = PARTS[name];
  return Object.entries(PARTS)
    .filter(([other]) => other !== name)
    .map(([other, { folder }]) =>
      part.uses.includes(other)
        ? {
            target: `./${part.folder}`,
            from: `./${folder}`,
            except: ['./index.ts'],
            message: `import @claude-env/${other}, the part's public entry, not a file inside it`,
          }
        : {
            target: `./${part.folder}`,
            from: `./${folder}`,
            message: `${name} does not depend on ${other} (docs/architecture.md)`,
          },
    );
}

// Every part lives in `<part>/src`, so reaching another part takes at least two `../`; with one, `../mcp/…` is a
// folder of the part itself (the extension's `mcp/`), not the mcp part.
const relativeAcrossParts = {
  regex: `^(\\.\\./){2,}(${Object.values(PARTS)
    .map(({ folder }) => folder.split('/')[0])
    .join('|')})/`,
  message: 'reach another part through @claude-env/<part>, not a relative path',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      '.cache/**',
      'bench/results/**',
      'out/**',
      'test-results/**',
      'test/fixtures/**',
      'devcontainer-feature/src/claude-env/bundle/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Long strings are split into pieces rather than exempted: a line stays readable in a diff and a side-by-side view.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...Object.entries(PARTS).map(([name, { folder }]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: zonesFor(name) }],
      'no-restricted-imports': [
        'error',
        {
          paths:
            name === 'extension'
              ? []
              : EDITOR_MODULES.map((module) => ({ name: module, message: 'only the extension imports the editor' })),
          patterns: [relativeAcrossParts],
        },
      ],
    },
  })),
);
