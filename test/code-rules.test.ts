/**
 * One harness for every code fixture (`test/fixtures/code/<framework>/`): each folder is a small application
 * analysed as a workspace of its own.
 * - Findings must match the Semgrep-style annotations (`// ruleid: missing-auth` above the route registration,
 *   `// ok: missing-auth` above one that must not be flagged); inline-suppressed findings do not count.
 * - `routes.txt`, where present, lists the route table: method, full path, handler location, authentication status, and the
 *   severity of the missing-auth finding at that route (`-` none, `suppressed` when silenced inline; a project
 *   without any authentication has one finding, at its first state-changing route).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCodeInProcess } from '../src/analyse/code/engine.ts';
import type { CodeAnalysis } from '../src/analyse/code/index.ts';
import { findConfigFile, loadConfig } from '../src/config/index.ts';
import { discoverFiles } from '../src/discover/index.ts';
import { compareWithAnnotations, parseAnnotations } from './helpers/annotations.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'code');
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

function sourcesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourcesIn(path) : SOURCE.test(name) ? [path] : [];
  });
}

function analyse(dir: string): CodeAnalysis {
  const root = realpathSync(dir);
  const discovered = discoverFiles({ paths: [root], root });
  const config = loadConfig(findConfigFile(root, root), root);
  return analyseCodeInProcess(
    { sources: discovered.sources, tsconfigs: discovered.tsconfigs },
    {
      cwd: root,
      workspace: { path: root, realPath: root },
      maxFileBytes: 10 * 1024 * 1024,
      disabledRules: [],
      timeoutMs: 120_000,
      auth: { middleware: config.auth.middleware, publicRoutes: config.auth.publicRoutes },
    },
  );
}

const fixtureDirs = readdirSync(FIXTURES).map((name) => join(FIXTURES, name));

describe.each(fixtureDirs.map((dir) => [relative(FIXTURES, dir), dir]))('code fixture %s', (_name, dir) => {
  const analysis = analyse(dir);

  it('reports exactly the annotated lines', () => {
    const reported = analysis.findings.filter((finding) => !finding.suppression);
    for (const file of sourcesIn(dir)) {
      const rel = relative(realpathSync(dir), realpathSync(file));
      const annotations = parseAnnotations(readFileSync(file, 'utf8'));
      const mismatches = compareWithAnnotations(
        annotations,
        reported.filter((finding) => finding.file === rel),
      );
      expect(
        mismatches,
        `${rel}\n${reported
          .filter((f) => f.file === rel)
          .map((f) => `${f.line} ${f.ruleId}: ${f.message}`)
          .join('\n')}`,
      ).toEqual([]);
    }
  });

  it('reports findings only where a fixture file annotates that rule', () => {
    const annotated = new Set<string>();
    for (const file of sourcesIn(dir)) {
      const rel = relative(realpathSync(dir), realpathSync(file));
      for (const annotation of parseAnnotations(readFileSync(file, 'utf8')))
        annotated.add(`${rel} ${annotation.ruleId}`);
    }
    const unexpected = analysis.findings.filter(
      (finding) => !finding.suppression && !annotated.has(`${finding.file} ${finding.ruleId}`),
    );
    expect(
      unexpected.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`),
    ).toEqual([]);
  });

  // Route tables are pinned for the authentication fixtures; the data-flow fixtures (`*-flow`) need none.
  it.skipIf(!existsSync(join(dir, 'routes.txt')))('builds the expected route table', () => {
    const expected = readFileSync(join(dir, 'routes.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/).join(' '))
      .sort();
    const actual = analysis.routes
      .map((route) => {
        const finding = analysis.findings.find(
          (candidate) =>
            candidate.ruleId === 'missing-auth' &&
            candidate.file === route.registration.file &&
            candidate.line === route.registration.line &&
            (candidate.anchor === `${route.method} ${route.path}` || candidate.anchor === 'project'),
        );
        const verdict = finding ? (finding.suppression ? 'suppressed' : finding.severity) : '-';
        return `${route.method} ${route.path} ${route.handler.file}:${route.handler.line} ${route.auth} ${verdict}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });
});
