import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CrossCheckModel } from '../src/analyse/crosscheck/index.ts';
import type { InventoryEntry } from '../src/report/inventory.ts';
import { REPO, runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

const EXPRESS = join(REPO, 'test', 'fixtures', 'crosscheck', 'express');

describe('apiguard routes --spec', () => {
  it('prints the joined inventory as JSON', () => {
    const run = runCli(['routes', '--spec', '--format', 'json'], { cwd: EXPRESS });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { version, pairs, entries } = JSON.parse(run.stdout) as {
      version: number;
      pairs: CrossCheckModel['pairs'];
      entries: InventoryEntry[];
    };
    expect(version).toBe(1);
    expect(
      pairs.map(({ spec, bases, operations, implemented }) => ({ spec, bases, operations, implemented })),
    ).toEqual([{ spec: 'openapi.yaml', bases: ['/api/v1'], operations: 12, implemented: 10 }]);
    const deleteUser = entries.find((entry) => entry.operation?.operationId === 'deleteUser');
    expect(deleteUser).toMatchObject({
      method: 'DELETE',
      path: '/api/v1/users/{userId}',
      status: 'implemented',
      operation: { security: 'bearerAuth' },
      route: { file: 'src/routes/users.ts', auth: 'none', evidence: 'none' },
      drift: 'unprotected',
    });
    expect(entries.find((entry) => entry.status === 'undocumented')).toMatchObject({
      method: 'GET',
      path: '/api/v1/users/:userId/avatar',
      route: { evidence: expect.stringContaining('requireAuth') },
    });
  });

  it('prints it as a text table and a Markdown table', () => {
    const text = runCli(['routes', '--spec'], { cwd: EXPRESS });
    expect(text.stdout).toMatch(
      /^openapi\.yaml ↔ .* \(paired by package; base path \/api\/v1\): 12 operations, 10 implemented; 13 routes\./,
    );
    expect(text.stdout).toMatch(
      /DELETE +\/api\/v1\/users\/\{userId\} +deleteUser +src\/routes\/users\.ts:\d+ +bearerAuth +none +spec requires auth, code has none/,
    );
    expect(text.stdout).toMatch(/GET +\/api\/v1\/reports +listReports +unimplemented/);
    expect(text.stdout).toMatch(
      /1 spec paired: 1 undocumented route, 2 operations without a route, 2 routes with security drift\.\n$/,
    );
    const markdown = runCli(['routes', '--spec', '--format', 'markdown'], { cwd: EXPRESS });
    expect(markdown.stdout).toContain(
      '| Method | Path | Operation | Code | Spec security | Code authentication | Note |',
    );
    expect(markdown.stdout).toMatch(
      /\| GET \| `\/api\/v1\/users\/:userId\/avatar` \| undocumented \| src\/routes\/users\.ts:\d+ \|/,
    );
  });

  it('says when no spec is paired with the code', () => {
    const dir = makeWorkspace({
      'app.js':
        "import express from 'express';\nconst app = express();\napp.get('/a', (req, res) => res.end());\n",
    });
    const run = runCli(['routes', '--spec'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^No OpenAPI description was paired with the code\.\n\nMETHOD/);
    expect(run.stdout).toMatch(/GET +\/a +no spec +app\.js:3/);
  });
});

describe('apiguard scan with a spec and its code', () => {
  it("reports cross-check findings beside the engines' own", () => {
    const run = runCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: EXPRESS });
    expect(run.status).toBe(0);
    const { findings } = JSON.parse(run.stdout) as {
      findings: { ruleId: string; file: string; engine: string }[];
    };
    const crossCheck = findings.filter((finding) =>
      [
        'undocumented-route',
        'unimplemented-operation',
        'spec-code-auth-mismatch',
        'spec-validation-not-enforced',
        'path-parameter-renamed',
      ].includes(finding.ruleId),
    );
    expect(crossCheck.map(({ ruleId, file, engine }) => `${ruleId} ${engine} ${file}`).sort()).toEqual([
      'path-parameter-renamed code src/routes/orgs.ts',
      'path-parameter-renamed code src/routes/users.ts',
      'spec-code-auth-mismatch code src/routes/users.ts',
      'spec-code-auth-mismatch openapi openapi.yaml',
      'spec-validation-not-enforced code src/routes/users.ts',
      'spec-validation-not-enforced code src/routes/users.ts',
      'undocumented-route code src/routes/users.ts',
      'unimplemented-operation openapi openapi.yaml',
    ]);
  });

  it('reports a route the spec protects and the code leaves open once, naming the spec', () => {
    const { findings } = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: EXPRESS }).stdout) as {
      findings: { ruleId: string; file: string; line: number; severity: string }[];
    };
    const drift = findings.find((f) => f.ruleId === 'spec-code-auth-mismatch' && f.severity === 'error');
    expect(drift).toBeDefined();
    const sameLine = findings.filter((f) => f.file === drift!.file && f.line === drift!.line);
    expect(sameLine.map((f) => f.ruleId)).not.toContain('missing-auth');
  });

  it('rejects a malformed crossCheck configuration, naming the key', () => {
    const dir = makeWorkspace({ '.apiguard.yml': 'crossCheck:\n  pairs:\n    - spec: openapi.yaml\n' });
    const run = runCli(['scan'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('.apiguard.yml:3: "crossCheck.pairs.0" is missing "code".');
  });
});
