// Bundles apiguard into dist/: self-contained, so `node dist/cli.js` works in a fresh clone without npm install.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/cli.ts',
    // The GitHub Action (action.yml `main`); shares chunks with the CLI.
    index: 'src/index.ts',
    'openapi-worker': 'src/analyse/openapi/worker.ts',
    // Loads ts-morph (the TypeScript compiler): its own chunks, started only when there is code to analyse.
    'code-worker': 'src/analyse/code/worker.ts',
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
  // Bundled CommonJS dependencies call require() for Node's built-ins, and the TypeScript compiler reads
  // __filename and __dirname.
  banner: {
    js: [
      "import { createRequire as __apiguardCreateRequire } from 'node:module';",
      "import { fileURLToPath as __apiguardFileURLToPath } from 'node:url';",
      'const require = __apiguardCreateRequire(import.meta.url);',
      'const __filename = __apiguardFileURLToPath(import.meta.url);',
      "const __dirname = __filename.replace(/[\\\\/][^\\\\/]*$/, '');",
    ].join(' '),
  },
  logLevel: 'warning',
});
