import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAllDocs } from '../src/rules/docs.ts';
import { allRules } from '../src/rules/index.ts';

const root = join(import.meta.dirname, '..');

describe('rule docs', () => {
  const files = renderAllDocs(allRules);
  it.each([...files.keys()])('%s matches the metadata (run `npm run docs`)', (path) => {
    expect(existsSync(join(root, path)), `${path} is missing`).toBe(true);
    expect(readFileSync(join(root, path), 'utf8')).toBe(files.get(path));
  });
  it('has no page for a rule that does not exist', () => {
    const stale = readdirSync(join(root, 'docs/rules')).filter((name) => !files.has(`docs/rules/${name}`));
    expect(stale).toEqual([]);
  });
  it('gives every rule complete metadata', () => {
    for (const meta of allRules) {
      expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(meta.title.length, meta.id).toBeGreaterThan(10);
      expect(meta.rationale.length, meta.id).toBeGreaterThan(20);
      expect(meta.fix.length, meta.id).toBeGreaterThan(10);
      expect(meta.cwe.length, meta.id).toBeGreaterThan(0);
      for (const cwe of meta.cwe) expect(cwe).toMatch(/^CWE-\d+$/);
      for (const owasp of meta.owasp) expect(owasp).toMatch(/^API([1-9]|10):2023$/);
    }
  });
});
