import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

function fingerprints(cwd: string): Map<string, number> {
  const { findings } = JSON.parse(runCli(['scan', '.', '--format', 'json'], { cwd }).stdout);
  return new Map(findings.map((f: { fingerprint: string; line: number }) => [f.fingerprint, f.line]));
}

describe('fingerprints', () => {
  it('are stable across runs and across edits that only move lines', () => {
    const spec = readFileSync(join(REPO, 'examples/openapi.yaml'), 'utf8');
    const dir = makeWorkspace({ 'openapi.yaml': spec });
    const before = fingerprints(dir);
    expect(fingerprints(dir)).toEqual(before);

    const shifted = spec.replace(
      'paths:\n',
      'paths:\n  # a comment\n\n  /health:\n    get:\n      security: []\n      responses: { "200": { description: ok } }\n',
    );
    writeFileSync(join(dir, 'openapi.yaml'), `# header comment\n\n${shifted}`);
    const after = fingerprints(dir);
    for (const [fingerprint, line] of before) {
      expect(after.has(fingerprint), `finding at line ${line} lost its fingerprint`).toBe(true);
      expect(after.get(fingerprint)).toBeGreaterThan(line);
    }
  });
});
