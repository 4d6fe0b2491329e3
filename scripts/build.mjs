// Bundles apiguard into dist/: self-contained, so `node dist/cli.js` works in a fresh clone without npm install.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/cli.ts',
    'openapi-worker': 'src/analyse/openapi/worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some dependencies (jsonc-parser) ship a UMD `main` whose requires esbuild cannot follow; their ESM build bundles.
  mainFields: ['module', 'main'],
  // Node's built-in punycode is deprecated and warns on every run; the same code from npm does not.
  alias: { punycode: 'punycode/' },
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  legalComments: 'linked',
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __apiguardCreateRequire } from 'node:module'; const require = __apiguardCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
