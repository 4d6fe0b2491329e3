/**
 * One harness for every cross-check fixture (`test/fixtures/crosscheck/<name>/`): each folder is a workspace with
 * code and OpenAPI descriptions, analysed by the code engine and then cross-checked.
 * - Findings must match the Semgrep-style annotations, `// ruleid: <id>` in code and `# ruleid: <id>` in specs
 *   (inline-suppressed findings do not count), and appear only in files that annotate their rule.
 * - `inventory.txt` lists the joined inventory: method, path and status of every operation and route row.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCodeInProcess } from '../src/analyse/code/engine.ts';
import { crossCheck } from '../src/analyse/crosscheck/index.ts';
import { findConfigFile, loadConfig } from '../src/config/index.ts';
import { discoverFiles } from '../src/discover/index.ts';
import { formatInventorySummary, inventoryEntries } from '../src/report/inventory.ts';
import { compareWithAnnotations, parseAnnotations } from './helpers/annotations.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'crosscheck');
const ANNOTATED = /\.(?:[cm]?[jt]s|[jt]sx|ya?ml|json)$/;

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : ANNOTATED.test(name) ? [path] : [];
  });
}

function analyse(dir: string) {
  const root = realpathSync(dir);
  const discovered = discoverFiles({ paths: [root], root });
  const config = loadConfig(findConfigFile(root, root), root);
  const code = analyseCodeInProcess(
    { sources: discovered.sources, tsconfigs: discovered.tsconfigs },
    {
      cwd: root,
      workspace: { path: root, realPath: root },
      maxFileBytes: 10 * 1024 * 1024,
      disabledRules: [],
      timeoutMs: 120_000,
      auth: config.auth,
      skipRules: true,
    },
  );
  return crossCheck(
    { specs: discovered.specs, routes: code.routes },
    {
      cwd: root,
      workspace: { path: root, realPath: root },
      maxFileBytes: 10 * 1024 * 1024,
      disabledRules: [],
      settings: config.crossCheck,
    },
  );
}

const fixtureDirs = readdirSync(FIXTURES).map((name) => join(FIXTURES, name));

describe.each(fixtureDirs.map((dir) => [relative(FIXTURES, dir), dir]))(
  'cross-check fixture %s',
  (_name, dir) => {
    const { findings, model } = analyse(dir);
    const root = realpathSync(dir);
    const reported = findings.filter((finding) => !finding.suppression);

    it('reports exactly the annotated lines', () => {
      for (const file of filesIn(dir)) {
        const rel = relative(root, realpathSync(file));
        const annotations = parseAnnotations(readFileSync(file, 'utf8'));
        const here = reported.filter((finding) => finding.file === rel);
        expect(
          compareWithAnnotations(annotations, here),
          `${rel}\n${here.map((f) => `${f.line} ${f.ruleId}: ${f.message}`).join('\n')}`,
        ).toEqual([]);
      }
    });

    it('reports findings only where a fixture file annotates that rule', () => {
      const annotated = new Set<string>();
      for (const file of filesIn(dir)) {
        const rel = relative(root, realpathSync(file));
        for (const annotation of parseAnnotations(readFileSync(file, 'utf8')))
          annotated.add(`${rel} ${annotation.ruleId}`);
      }
      const unexpected = reported.filter((finding) => !annotated.has(`${finding.file} ${finding.ruleId}`));
      expect(
        unexpected.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`),
      ).toEqual([]);
    });

    it('builds the expected inventory', () => {
      const expected = readFileSync(join(dir, 'inventory.txt'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith('#'))
        .map((line) => line.trim().split(/\s+/).join(' '))
        .sort();
      const actual = inventoryEntries(model)
        .map((entry) => `${entry.method} ${entry.path} ${entry.status.replace(' ', '-')}`)
        .sort();
      expect(actual).toEqual(expected);
    });
  },
);

describe('the inventory section of the job summary', () => {
  it('is empty when nothing was cross-checked', () => {
    expect(formatInventorySummary(undefined)).toBe('');
  });

  it('counts operations, undocumented routes and security drift per spec', () => {
    const { model } = analyse(join(FIXTURES, 'express'));
    const summary = formatInventorySummary(model);
    expect(summary).toContain('### API inventory');
    expect(summary).toContain('| `openapi.yaml` | the repository | 12 | 10 | 2 | 1 | 2 |');
  });

  it('says which specs were not cross-checked and why', () => {
    const { model } = analyse(join(FIXTURES, 'configured'));
    expect(formatInventorySummary(model)).toContain(
      '`specs/ops.yaml` was not cross-checked: crossCheck.pairs does not list it.',
    );
  });
});
