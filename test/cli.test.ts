import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers/cli.ts';

const reportSchema = JSON.parse(readFileSync(join(REPO, 'docs/json-output.schema.json'), 'utf8'));
const sarifSchema = JSON.parse(
  readFileSync(join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);

describe('apiguard scan on the bundled example', () => {
  it('prints findings grouped by file and exits 1 when errors are found', () => {
    const run = runCli(['scan', 'examples']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('examples/openapi.yaml');
    expect(run.stdout).toContain('write-operation-unprotected');
    expect(run.stdout).toMatch(/✖ \d+ findings? \(/);
  });

  it('writes JSON that matches the documented contract', () => {
    const run = runCli(['scan', 'examples', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    const validate = new Ajv({ allErrors: true }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary.total).toBe(report.findings.length);
    expect(report.summary.result).toBe('fail');
    expect(report.findings.every((f: { file: string }) => f.file.startsWith('examples/'))).toBe(true);
    expect(report.summary.byEngine.code).toBeGreaterThan(0);
  });

  it('writes SARIF 2.1.0 that validates against the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apiguard-sarif-'));
    const output = join(dir, 'out.sarif');
    const run = runCli(['scan', 'examples', '--format', 'sarif', '--output', output]);
    expect(run.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(output, 'utf8'));
    const validate = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      sarifSchema,
    );
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const [run0] = sarif.runs;
    expect(run0.automationDetails.id).toBe('apiguard/openapi/');
    const rule = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'write-operation-unprotected');
    expect(rule.help.markdown).toContain('## How to fix');
    expect(rule.properties['security-severity']).toBe('7.5');
    expect(rule.properties.tags).toContain('external/cwe/cwe-306');
    for (const result of run0.results) {
      expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{32}$/);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('examples/openapi.yaml');
    }
  });

  it('shows a data-flow finding with its path from the request to the sink, in JSON and as a SARIF codeFlow', () => {
    const report = JSON.parse(runCli(['scan', 'examples', '--format', 'json']).stdout);
    const injection = report.findings.find((f: { ruleId: string }) => f.ruleId === 'sql-injection');
    expect(injection).toMatchObject({ file: 'examples/api/db/users.ts', severity: 'error', cwe: ['CWE-89'] });
    const steps = injection.flow.map(
      (step: { file: string; message: string }) => `${step.file} ${step.message}`,
    );
    expect(steps).toEqual([
      'examples/api/routes/users.ts req.query.name',
      'examples/api/routes/users.ts searchUsers(…)',
      'examples/api/db/users.ts pool.query',
    ]);
    expect(injection.message).toContain('req.query.name (examples/api/routes/users.ts:');

    const dir = mkdtempSync(join(tmpdir(), 'apiguard-sarif-'));
    const output = join(dir, 'out.sarif');
    runCli(['scan', 'examples', '--format', 'sarif', '--output', output]);
    const codeRun = JSON.parse(readFileSync(output, 'utf8')).runs.find(
      (run: { automationDetails: { id: string } }) => run.automationDetails.id === 'apiguard/code/',
    );
    const result = codeRun.results.find((r: { ruleId: string }) => r.ruleId === 'sql-injection');
    const locations = result.codeFlows[0].threadFlows[0].locations.map(
      (entry: {
        location: { physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } };
      }) => `${entry.location.physicalLocation.artifactLocation.uri} ${entry.location.message.text}`,
    );
    expect(locations).toEqual(steps);
  });

  it('writes Markdown with a findings table', () => {
    const run = runCli(['scan', 'examples', '--format', 'markdown']);
    expect(run.stdout).toMatch(/^## apiguard/);
    expect(run.stdout).toContain('| | Rule | Location | Finding |');
  });

  it('exits 0 with --fail-on never', () => {
    expect(runCli(['scan', 'examples', '--fail-on', 'never']).status).toBe(0);
  });

  it('runs on Node 20 as well as on the Node the tests use', () => {
    if (!existsSync('/usr/bin/node')) return;
    const run = runCli(['scan', 'examples', '--format', 'json'], { node: '/usr/bin/node' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).findings.length).toBeGreaterThan(0);
  });
});

describe('usage and configuration errors exit 2 with a clear message', () => {
  it('rejects an unknown format', () => {
    const run = runCli(['scan', 'examples', '--format', 'xml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown format "xml"');
  });

  it('rejects an unknown option', () => {
    const run = runCli(['scan', '--nope']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--nope'");
  });

  it('names the file, the key and what is allowed for a bad configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apiguard-config-'));
    writeFileSync(join(dir, '.apiguard.yml'), 'failOn: error\nrulez:\n  x: off\n');
    const run = runCli(['scan', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '.apiguard.yml:2: unknown key "rulez"; allowed here: include, exclude, failOn, rules',
    );
  });

  it('names a missing path', () => {
    const run = runCli(['scan', 'does-not-exist']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('does-not-exist');
  });
});

describe('apiguard rules', () => {
  it('lists every rule with severity, CWE and OWASP category', () => {
    const run = runCli(['rules']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /write-operation-unprotected\s+openapi\s+error\s+CWE-306\s+API2:2023,API5:2023/,
    );
  });
});
