import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

const OUTSIDE_SECRET = 'contents-that-must-never-leave-the-runner';

describe('the $ref sandbox', () => {
  let server: Server;
  let requests = 0;
  let port = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.end('openapi: 3.0.0\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('never fetches a remote $ref, never reads outside the workspace, and lints the rest', () => {
    const parent = makeWorkspace({ 'outside.yaml': `secret: ${OUTSIDE_SECRET}\n` }, 'apiguard-sandbox-');
    const workspace = join(parent, 'repo');
    mkdirSync(join(workspace, 'api'), { recursive: true });
    symlinkSync(join(parent, 'outside.yaml'), join(workspace, 'api', 'link.yaml'));
    writeFileSync(
      join(workspace, 'api', 'openapi.yaml'),
      [
        'openapi: 3.0.3',
        'info: { title: Sandbox, version: "1" }',
        'components:',
        '  securitySchemes:',
        '    bearer: { type: http, scheme: bearer }',
        '  schemas:',
        `    Remote: { $ref: 'http://127.0.0.1:${port}/remote.yaml' }`,
        `    RemoteTls: { $ref: 'https://127.0.0.1:${port}/remote.yaml' }`,
        `    Protocol: { $ref: 'ftp://127.0.0.1:${port}/remote.yaml' }`,
        `    Relative: { $ref: '//127.0.0.1:${port}/remote.yaml' }`,
        "    Climb: { $ref: '../../outside.yaml' }",
        `    Absolute: { $ref: 'file://${join(parent, 'outside.yaml')}' }`,
        "    Link: { $ref: './link.yaml' }",
        'paths:',
        '  /users:',
        '    post:',
        '      responses: { "201": { description: created } }',
        '',
      ].join('\n'),
    );
    const run = runCli(['scan', '.', '--format', 'json'], { cwd: workspace });
    expect(run.stderr).toBe('');
    const output = run.stdout;
    expect(requests).toBe(0);
    expect(output).not.toContain(OUTSIDE_SECRET);
    const findings: { ruleId: string; line: number; message: string }[] = JSON.parse(output).findings;
    const at = (line: number) => findings.filter((f) => f.line === line).map((f) => f.ruleId);
    expect(at(7)).toContain('spec-remote-ref');
    expect(at(8)).toContain('spec-remote-ref');
    expect(at(9)).toContain('spec-remote-ref');
    expect(at(11)).toContain('spec-ref-outside-workspace');
    // How a file:// URI is mapped depends on the path; either way it is refused, never read.
    expect(['spec-ref-outside-workspace', 'spec-invalid-ref']).toContain(at(12)[0]);
    expect(at(13)).toContain('spec-ref-outside-workspace');
    // A protocol-relative ref is taken as an absolute file path, which is outside the workspace.
    expect(at(10)).toEqual(['spec-ref-outside-workspace']);
    expect(findings.some((f) => f.ruleId === 'write-operation-unprotected' && f.line === 16)).toBe(true);
  });

  it('refuses a spec that is itself a symbolic link out of the workspace', () => {
    const parent = makeWorkspace({
      'elsewhere/openapi.yaml': `openapi: 3.0.0\nx-secret: ${OUTSIDE_SECRET}\n`,
    });
    const workspace = join(parent, 'repo');
    mkdirSync(workspace);
    symlinkSync(join(parent, 'elsewhere', 'openapi.yaml'), join(workspace, 'openapi.yaml'));
    const run = runCli(['scan', '.', '--format', 'json'], { cwd: workspace });
    expect(run.stdout).not.toContain(OUTSIDE_SECRET);
    const [finding] = JSON.parse(run.stdout).findings;
    expect(finding.ruleId).toBe('spec-ref-outside-workspace');
    expect(finding.file).toBe('openapi.yaml');
  });
});
