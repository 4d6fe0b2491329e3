/** The baseline and changed-lines filters from the CLI: the same code the action runs. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const example = readFileSync(join(REPO, 'examples/openapi.yaml'), 'utf8');

function repository(files: Record<string, string>): string {
  const dir = makeWorkspace(files);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return dir;
}

describe.concurrent('apiguard baseline and --baseline', { timeout: 180_000 }, () => {
  it('accepts the findings of today, and fails again only on new ones', () => {
    const dir = repository({ 'openapi.yaml': example });
    const written = runCli(['baseline', '.', '--output', 'accepted.json'], { cwd: dir });
    expect(written.status).toBe(0);
    const count = JSON.parse(readFileSync(join(dir, 'accepted.json'), 'utf8')).findings.length;
    expect(written.stderr).toBe(`apiguard: wrote ${count} findings to accepted.json\n`);

    const accepted = runCli(['scan', '.', '--baseline', 'accepted.json', '--format', 'json'], { cwd: dir });
    expect(accepted.status).toBe(0);
    const report = JSON.parse(accepted.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.baseline).toBe(count);
    expect(
      report.suppressed.every((f: { suppression: { kind: string } }) => f.suppression.kind === 'baseline'),
    ).toBe(true);

    // A new operation anyone may call: only it is reported, and it fails the run.
    writeFileSync(
      join(dir, 'openapi.yaml'),
      example.replace(
        '  /reset-password:',
        "  /admin:\n    delete:\n      security: [{}]\n      responses:\n        '204':\n          description: Gone\n  /reset-password:",
      ),
    );
    const again = runCli(['scan', '.', '--baseline', 'accepted.json', '--format', 'json'], { cwd: dir });
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'write-operation-unprotected',
    ]);
  });

  it('names a missing baseline file and exits 2', () => {
    const dir = repository({ 'openapi.yaml': example });
    const run = runCli(['scan', '.', '--baseline', 'nope.json'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('nope.json does not exist; create one with `apiguard baseline`');
  });
});

describe.concurrent('apiguard scan --changed-since', { timeout: 180_000 }, () => {
  it('reports only findings on lines changed since the ref, and applies --fail-on to them', () => {
    const dir = repository({ 'openapi.yaml': example });
    const before = runCli(['scan', '.', '--changed-since', 'HEAD'], { cwd: dir });
    expect(before.status).toBe(0);
    expect(before.stdout).toContain('No findings');

    writeFileSync(
      join(dir, 'openapi.yaml'),
      example.replace('          schema:\n            type: integer\n            minimum: 1\n', (text) =>
        text.replace('minimum: 1', 'minimum: 1\n            maximum: 100'),
      ),
    );
    writeFileSync(join(dir, 'new.openapi.yaml'), example);
    const run = runCli(['scan', '.', '--changed-since', 'HEAD', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(run.stdout);
    // The untracked spec is new in full; in the edited one only the changed lines count.
    expect(new Set(report.findings.map((f: { file: string }) => f.file))).toEqual(
      new Set(['new.openapi.yaml']),
    );
    expect(run.status).toBe(1);
  });

  it('exits 2 with git’s reason for a ref that does not exist', () => {
    const dir = repository({ 'openapi.yaml': example });
    const run = runCli(['scan', '.', '--changed-since', 'no-such-branch'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--changed-since: git diff no-such-branch failed: /);
  });
});
