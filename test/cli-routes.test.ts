import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

/** `file:line` of the line containing `text`: the example may gain lines above its routes. */
function lineOf(file: string, text: string): string {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  return `${file}:${lines.findIndex((line) => line.includes(text)) + 1}`;
}

describe('apiguard routes', () => {
  it('lists the example API with what protects each route (JSON)', () => {
    const run = runCli(['routes', 'examples', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { version, routes } = JSON.parse(run.stdout);
    expect(version).toBe(1);
    const table = routes.map(
      (route: { method: string; path: string; auth: string; handler: { file: string; line: number } }) =>
        `${route.method} ${route.path} ${route.auth} ${route.handler.file}:${route.handler.line}`,
    );
    expect(table.sort()).toEqual([
      `DELETE /v1/users/:id required ${lineOf('examples/api/routes/users.ts', "users.delete('/users/:id'")}`,
      `GET /reset-password none ${lineOf('examples/api/server.ts', "app.get('/reset-password'")}`,
      `GET /v1/users required ${lineOf('examples/api/routes/users.ts', "users.get('/users'")}`,
      `POST /v1/users none ${lineOf('examples/api/routes/users.ts', "users.post('/users'")}`,
    ]);
    const protectedRoute = routes.find(
      (route: { method: string; path: string }) => route.method === 'GET' && route.path === '/v1/users',
    );
    expect(protectedRoute.chain.find((step: { auth?: unknown }) => step.auth)).toMatchObject({
      kind: 'route-middleware',
      name: 'requireAuth',
      auth: { by: 'behaviour', definedAt: { file: 'examples/api/middleware/auth.ts' } },
    });
  });

  it('prints a table and a Markdown table', () => {
    const text = runCli(['routes', 'examples']);
    expect(text.stdout).toMatch(
      new RegExp(
        `^POST\\s+/v1/users\\s+${lineOf('examples/api/routes/users.ts', "users.post('/users'")}\\s+none$`,
        'm',
      ),
    );
    expect(text.stdout).toContain('4 routes, 2 without authentication.');
    const markdown = runCli(['routes', 'examples', '--format', 'markdown']);
    expect(markdown.stdout).toContain(
      `| POST | \`/v1/users\` | ${lineOf('examples/api/routes/users.ts', "users.post('/users'")} | none |`,
    );
  });

  it('reports code findings in a scan, with the route and what was looked for', () => {
    const run = runCli(['scan', 'examples', '--format', 'json']);
    const finding = JSON.parse(run.stdout).findings.find(
      (f: { ruleId: string }) => f.ruleId === 'missing-auth',
    );
    expect(`${finding.file}:${finding.line}`).toBe(
      lineOf('examples/api/routes/users.ts', "users.post('/users'"),
    );
    expect(finding).toMatchObject({ severity: 'error', engine: 'code' });
    expect(finding.message).toMatch(/^POST \/v1\/users .*Looked for/);
  });

  it('rejects a malformed public route in the configuration, naming the key', () => {
    const dir = makeWorkspace({ '.apiguard.yml': 'auth:\n  publicRoutes: ["GET health"]\n', 'app.ts': '' });
    const run = runCli(['routes', join(dir, 'app.ts')], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('auth.publicRoutes');
  });

  it('rejects an unknown format', () => {
    const run = runCli(['routes', 'examples', '--format', 'sarif']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('text, json, markdown');
  });
});
