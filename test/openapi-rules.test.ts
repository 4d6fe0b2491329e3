import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specRules } from '../rulesets/openapi/index.ts';
import { SpecLinter } from '../src/analyse/openapi/lint.ts';
import type { RawFinding } from '../src/findings/finding.ts';
import type { SpecFormat } from '../src/findings/rule.ts';
import { compareWithAnnotations, parseAnnotations } from './helpers/annotations.ts';
import { secretSlices, substituteFakeSecrets } from './helpers/fake-secrets.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'openapi');

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

/** Each folder of fixtures is a workspace; files starting with `_` are only reached through `$ref`s. */
const fixtureDirs = readdirSync(FIXTURES).map((name) => join(FIXTURES, name));

function formatOf(text: string): SpecFormat | undefined {
  if (/^\s*(\/\/.*\n\s*)*\{?\s*"?swagger"?\s*:\s*["']?2\.0/m.test(text)) return 'oas2';
  const version = /^\s*"?openapi"?\s*:\s*["']?(3\.[01])/m.exec(text)?.[1];
  return version === '3.0' ? 'oas3.0' : version === '3.1' ? 'oas3.1' : undefined;
}

async function lintWorkspace(dir: string): Promise<Map<string, RawFinding[]>> {
  const linter = await SpecLinter.create({
    cwd: dir,
    workspace: { path: dir, realPath: dir },
    maxFileBytes: 10 * 1024 * 1024,
    disabledRules: [],
    allowCustomFunctions: false,
  });
  const byFile = new Map<string, RawFinding[]>();
  for (const file of filesIn(dir).filter((path) => !basename(path).startsWith('_'))) {
    for (const finding of await linter.lint(file)) {
      if (finding.suppression) continue;
      byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    }
  }
  return byFile;
}

/**
 * Fixtures write `{{fake:stripe-live}}` where a realistic secret goes, so none is committed: such a folder
 * is linted as a temporary copy with generated values (same relative paths and lines).
 */
async function lintFixtures(dir: string): Promise<{ findings: Map<string, RawFinding[]>; slices: string[] }> {
  const files = filesIn(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  if (!files.some(({ text }) => text.includes('{{fake:')))
    return { findings: await lintWorkspace(dir), slices: [] };
  const copy = realpathSync(mkdtempSync(join(tmpdir(), 'apiguard-fixture-')));
  const slices: string[] = [];
  try {
    for (const { file, text } of files) {
      const { text: substituted, secrets } = substituteFakeSecrets(text);
      for (const { prefix, value } of secrets) slices.push(...secretSlices(value, prefix));
      mkdirSync(dirname(join(copy, relative(dir, file))), { recursive: true });
      writeFileSync(join(copy, relative(dir, file)), substituted);
    }
    return { findings: await lintWorkspace(copy), slices };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe.each(fixtureDirs.map((dir) => [relative(FIXTURES, dir), dir]))('fixtures %s', (_name, dir) => {
  it('reports exactly the annotated lines', async () => {
    const { findings, slices } = await lintFixtures(dir);
    const messages = [...findings.values()].flat().map((finding) => finding.message);
    for (const slice of slices) expect(messages.filter((message) => message.includes(slice))).toEqual([]);
    for (const file of filesIn(dir)) {
      const annotations = parseAnnotations(readFileSync(file, 'utf8'));
      const reported = findings.get(relative(dir, file)) ?? [];
      const mismatches = compareWithAnnotations(annotations, reported);
      expect(
        mismatches,
        `${relative(FIXTURES, file)}: ${JSON.stringify(reported.map((f) => [f.ruleId, f.line, f.message]))}`,
      ).toEqual([]);
    }
  });
});

describe('fixture coverage', () => {
  const annotated = new Map<string, Set<string>>();
  for (const file of fixtureDirs.flatMap(filesIn)) {
    const text = readFileSync(file, 'utf8');
    const format = formatOf(text);
    if (!format) continue;
    for (const { kind, ruleId } of parseAnnotations(text)) {
      const key = `${ruleId} ${format}`;
      annotated.set(key, new Set([...(annotated.get(key) ?? []), kind]));
    }
  }
  it.each(specRules.flatMap((rule) => rule.meta.formats.map((format) => [rule.meta.id, format])))(
    '%s has a vulnerable and a safe case for %s',
    (ruleId, format) => {
      expect([...(annotated.get(`${ruleId} ${format}`) ?? [])].sort()).toEqual(['ok', 'ruleid']);
    },
  );
});
