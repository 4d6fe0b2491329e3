import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

const SPEC = [
  'openapi: 3.0.3',
  'info: { title: Users, version: "1" }',
  'components: { securitySchemes: { bearer: { type: http, scheme: bearer } } }',
  'security: [{ bearer: [] }]',
  'paths:',
  '  /users:',
  '    get:',
  '      responses: { "200": { description: ok } }',
  '',
].join('\n');

function scan(files: Record<string, string>) {
  const cwd = makeWorkspace({ 'openapi.yaml': SPEC, ...files });
  const run = runCli(['scan', '.', '--format', 'json'], { cwd });
  return {
    ...run,
    findings: run.stdout ? (JSON.parse(run.stdout).findings as { ruleId: string; line: number }[]) : [],
  };
}

describe("the repository's own Spectral ruleset", () => {
  it('runs beside apiguard and can extend spectral:oas and apiguard by name', () => {
    const { status, stderr, findings } = scan({
      '.apiguard.yml': 'spectralRuleset: .spectral.yaml\n',
      '.spectral.yaml': [
        'extends: [[spectral:oas, recommended], apiguard]',
        'rules:',
        '  operation-tags: off',
        '  get-needs-summary:',
        '    given: $.paths[*].get',
        '    severity: error',
        '    then: { field: summary, function: truthy }',
        '',
      ].join('\n'),
    });
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const rules = findings.map((f) => f.ruleId);
    expect(rules).toContain('get-needs-summary');
    expect(rules).toContain('operation-operationId'); // from spectral:oas
    expect(rules).not.toContain('operation-tags'); // switched off by the user
    expect(rules).toContain('error-responses-undeclared'); // apiguard's rules still run
  });

  it('is left alone unless .apiguard.yml names it (it usually holds style rules)', () => {
    const { status, findings } = scan({ '.spectral.yaml': 'extends: https://example.com/x.yaml\n' });
    expect(status).toBe(0);
    expect(findings.length).toBeGreaterThan(0);
  });

  it('may extend a local ruleset file', () => {
    const { findings } = scan({
      '.apiguard.yml': 'spectralRuleset: lint/rules.yaml\n',
      'lint/rules.yaml': 'extends: ./base.yaml\n',
      'lint/base.yaml': 'rules:\n  no-get:\n    given: $.paths[*].get\n    then: { function: falsy }\n',
    });
    expect(findings.map((f) => f.ruleId)).toContain('no-get');
  });

  it.each([
    [
      'a URL in extends',
      'extends: https://example.com/ruleset.yaml\n',
      'apiguard never loads rulesets over the network',
    ],
    [
      'the OWASP ruleset package',
      'extends: "@stoplight/spectral-owasp-ruleset"\n',
      "apiguard's own rules cover its 32 checks",
    ],
    ['another package', 'extends: "@acme/rules"\n', 'names a package'],
    [
      'custom functions without opting in',
      'functions: [check]\nrules:\n  r:\n    given: $\n    then: { function: check }\n',
      'custom functions run repository code; set `allowCustomFunctions: true`',
    ],
    [
      'an unknown core function',
      'rules:\n  r:\n    given: $\n    then: { function: nope }\n',
      'unknown function "nope"',
    ],
  ])('refuses %s with exit code 2 and a clear message', (_case, ruleset, message) => {
    const { status, stderr } = scan({
      '.apiguard.yml': 'spectralRuleset: .spectral.yaml\n',
      '.spectral.yaml': ruleset,
      'functions/check.js': 'export default () => [];\n',
    });
    expect(status).toBe(2);
    expect(stderr).toContain('.spectral.yaml');
    expect(stderr).toContain(message);
  });

  it('loads custom functions when the configuration allows it', () => {
    const { findings } = scan({
      '.apiguard.yml': 'spectralRuleset: .spectral.yaml\nallowCustomFunctions: true\n',
      '.spectral.yaml':
        'functions: [always]\nrules:\n  custom-always:\n    given: $.info\n    then: { function: always }\n',
      'functions/always.js': "export default () => [{ message: 'flagged by a custom function' }];\n",
    });
    expect(findings.map((f) => f.ruleId)).toContain('custom-always');
  });
});
