/**
 * No secret value, nor any 8-character slice of one, leaves apiguard: every output format of the built CLI
 * and every GitHub channel's text, over a positive corpus generated at test time (code, configuration
 * files and an OpenAPI document).
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/findings/finding.ts';
import type { ScanResult } from '../src/findings/result.ts';
import { toWorkflowAnnotation } from '../src/report/github/annotations.ts';
import { toCheckRunAnnotation } from '../src/report/github/check-run.ts';
import { reviewCommentBody } from '../src/report/github/review-comments.ts';
import { githubMarkdown } from '../src/report/github/summary.ts';
import { FORMATS, formatReport } from '../src/report/index.ts';
import { runCli } from './helpers/cli.ts';
import { fakeSecret, secretSlices, substituteFakeSecrets } from './helpers/fake-secrets.ts';
import { coversPlanted, positiveCorpus } from './helpers/secret-corpus.ts';

const corpus = positiveCorpus();
const spec = substituteFakeSecrets(
  readFileSync(join(import.meta.dirname, 'fixtures/openapi/hardcoded-secret/oas3.0.yaml'), 'utf8'),
);
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'apiguard-redaction-')));
for (const [path, text] of Object.entries({ ...corpus.files, 'api/openapi.yaml': spec.text })) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
const slices = [
  ...corpus.planted.flatMap((planted) => secretSlices(planted.value, planted.prefix)),
  ...spec.secrets.flatMap((secret) => secretSlices(secret.value, secret.prefix)),
];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function leaks(output: string): string[] {
  return [...new Set(slices.filter((slice) => output.includes(slice)))];
}

describe('every output format of the CLI', () => {
  const outputs = new Map<string, string>();
  for (const format of FORMATS) {
    const run = runCli(['scan', '.', '--format', format, '--fail-on', 'never'], { cwd: dir });
    outputs.set(format, run.stdout + run.stderr);
  }
  const toFile = join(dir, 'report.sarif');
  const written = runCli(['scan', '.', '--format', 'sarif', '--output', toFile, '--quiet'], { cwd: dir });
  outputs.set('sarif file, quiet', readFileSync(toFile, 'utf8') + written.stdout + written.stderr);
  rmSync(toFile);
  const report = JSON.parse(outputs.get('json')!.trim()) as { findings: Finding[] };

  it('finds every planted secret', () => {
    const missed = corpus.planted.filter(
      (planted) => !report.findings.some((f) => coversPlanted(planted, f.file, f.line, f.endLine)),
    );
    expect(missed.map((planted) => planted.label)).toEqual([]);
    expect(report.findings.filter((f) => f.file === 'api/openapi.yaml').length).toBeGreaterThan(10);
  });

  it.each([...outputs.keys()])('%s leaks nothing', (format) => {
    const output = outputs.get(format)!;
    expect(output).toContain('hardcoded-secret');
    expect(leaks(output)).toEqual([]);
  });

  it('leaves nothing in the GitHub channels: annotations, check runs, review comments, summaries', () => {
    const place = { path: (finding: Finding) => finding.file, inDiff: () => true };
    const result: ScanResult = {
      findings: report.findings,
      suppressed: [],
      files: { openapi: [], code: [] },
      failOn: 'error',
      durationMs: 0,
      cwdInWorkspace: '',
    };
    const texts = [
      ...report.findings.map((finding) => JSON.stringify(toWorkflowAnnotation(finding, place))),
      ...report.findings.map((finding) => JSON.stringify(toCheckRunAnnotation(finding, place))),
      ...report.findings.map(reviewCommentBody),
      githubMarkdown(result, { place, elsewhere: 'the SARIF report' }),
    ];
    expect(texts.flatMap(leaks)).toEqual([]);
  });
});

describe('the report stage', () => {
  it('masks a secret that a message carries (a Spectral rule of the repository echoing {{value}})', () => {
    const token = fakeSecret('github-pat', 5);
    const finding: Finding = {
      ruleId: 'custom-rule',
      severity: 'error',
      message: `Value ${token} is not allowed`,
      file: 'openapi.yaml',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      cwe: [],
      owasp: [],
      category: 'custom',
      engine: 'openapi',
      fingerprint: '0'.repeat(32),
    };
    const result: ScanResult = {
      findings: [finding],
      suppressed: [],
      files: { openapi: ['openapi.yaml'], code: [] },
      failOn: 'error',
      durationMs: 0,
      cwdInWorkspace: '',
    };
    for (const format of FORMATS) {
      const output = formatReport(format, result);
      expect(output, format).toContain('[redacted GitHub personal access token]');
      for (const slice of secretSlices(token, 'ghp_')) expect(output, format).not.toContain(slice);
    }
  });
});
