/** Writes docs/rules/ from the rules' metadata (the docs test fails when they differ). */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderAllDocs } from '../src/rules/docs.ts';
import { allRules } from '../src/rules/index.ts';

const root = join(import.meta.dirname, '..');
const files = renderAllDocs(allRules);
for (const name of readdirSync(join(root, 'docs/rules'))) {
  if (!files.has(`docs/rules/${name}`)) rmSync(join(root, 'docs/rules', name));
}
for (const [path, content] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
console.log(`wrote ${files.size} files in docs/rules/`);
