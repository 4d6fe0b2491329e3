import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { makeWorkspace } from './helpers/workspace.ts';

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

const GOOD_SPEC = [
  'openapi: 3.0.3',
  'info: { title: Good, version: "1" }',
  'components: { securitySchemes: { bearer: { type: http, scheme: bearer } } }',
  'paths:',
  '  /orders:',
  '    post:',
  '      responses: { "201": { description: created } }',
  '',
].join('\n');

function billionLaughs(): string {
  const lines = [
    'openapi: 3.0.3',
    'info: { title: Bomb, version: "1" }',
    'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  for (let level = 1; level < 10; level++) {
    const name = String.fromCharCode(97 + level);
    const previous = String.fromCharCode(96 + level);
    lines.push(`x-${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\npaths: {}\n`;
}

function hugeSpec(megabytes: number): string {
  const line = `  - ${'a'.repeat(90)}\n`;
  return `openapi: 3.0.3\ninfo: { title: Huge, version: "1" }\npaths: {}\nx-big:\n${line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length))}`;
}

/** Many small objects: far more memory once parsed than the file's size suggests. */
function objectHeavySpec(count: number): string {
  const items = Array(count).fill('{"type":"string","x":1}').join(',');
  return `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},"x-big":[${items}]}`;
}

function scanJson(cwd: string): { findings: Finding[]; stderr: string; status: number | null } {
  const run = runCli(['scan', '.', '--format', 'json'], { cwd });
  return {
    findings: JSON.parse(run.stdout || '{"findings":[]}').findings,
    stderr: run.stderr,
    status: run.status,
  };
}

describe('bad input: each file gets a clear finding and the others are still reported', () => {
  const workspace = makeWorkspace({
    'openapi.yaml': GOOD_SPEC,
    'specs/empty.openapi.yaml': '',
    'specs/invalid.openapi.yaml': 'openapi: 3.0.3\ninfo: {title: x, version: "1"\npaths: [\n',
    'specs/duplicate.openapi.yaml':
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a: {}\n  /a: {}\n',
    'specs/bomb.openapi.yaml': billionLaughs(),
    'specs/deep.openapi.json': `{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{},"x-deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    'specs/circular.openapi.yaml':
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    $ref: "./_a.yaml"\n',
    'specs/_a.yaml':
      'get:\n  responses:\n    "200":\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: "./_b.yaml"\n',
    'specs/_b.yaml': 'type: object\nproperties:\n  next:\n    $ref: "./_c.yaml"\n',
    'specs/_c.yaml':
      'type: object\nproperties:\n  back:\n    $ref: "./_b.yaml"\n  loop:\n    $ref: "./_a.yaml"\n',
    'specs/binary.openapi.yaml': Buffer.concat(
      Array(500).fill(Buffer.from([0x6f, 0x70, 0x00, 0xff, 0xfe, 0x01])),
    ),
    'specs/unsupported.openapi.yaml': 'openapi: 4.0.0\ninfo: {title: x, version: "1"}\n',
    'specs/broken-ref.openapi.yaml':
      'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": { $ref: "#/components/responses/Gone" }\n',
  });
  writeFileSync(join(workspace, 'specs/huge.openapi.yaml'), hugeSpec(50));
  const started = performance.now();
  const { findings, stderr } = scanJson(workspace);
  const elapsed = performance.now() - started;
  const of = (file: string) => findings.filter((f) => f.file === file);

  it('finishes in bounded time and prints nothing but the report', () => {
    expect(stderr).toBe('');
    expect(elapsed).toBeLessThan(60_000);
  });

  it.each([
    ['specs/empty.openapi.yaml', 'spec-parse-error', /empty/],
    ['specs/invalid.openapi.yaml', 'spec-parse-error', /flow/],
    ['specs/duplicate.openapi.yaml', 'spec-duplicate-key', /Duplicate key: \/a/],
    ['specs/bomb.openapi.yaml', 'spec-parse-error', /aliases expand/],
    ['specs/deep.openapi.json', 'spec-parse-error', /nested too deeply/],
    ['specs/binary.openapi.yaml', 'spec-analysis-incomplete', /binary content/],
    ['specs/huge.openapi.yaml', 'spec-analysis-incomplete', /over the 25\.0 MB limit/],
    ['specs/unsupported.openapi.yaml', 'spec-analysis-incomplete', /version "4\.0\.0" is not supported/],
    ['specs/broken-ref.openapi.yaml', 'spec-invalid-ref', /'#\/components\/responses\/Gone' does not exist/],
  ])('%s → %s', (file, ruleId, message) => {
    const found = of(file).filter((f) => f.ruleId === ruleId);
    expect(found.length, JSON.stringify(of(file))).toBeGreaterThan(0);
    expect(found[0]!.message).toMatch(message);
  });

  it('lints a $ref cycle spanning files', () => {
    expect(of('specs/circular.openapi.yaml').some((f) => f.ruleId === 'security-undefined')).toBe(true);
  });

  it('still reports the good file', () => {
    expect(of('openapi.yaml').map((f) => f.ruleId)).toContain('write-operation-unprotected');
  });
});

describe('time and memory bounds per file', () => {
  it('stops a file that takes longer than limits.timeoutSeconds and goes on', () => {
    const workspace = makeWorkspace({
      '.apiguard.yml': 'limits: { timeoutSeconds: 0.05 }\n',
      'big/openapi.yaml': hugeSpec(8),
      'openapi.yaml': GOOD_SPEC,
    });
    const { findings } = scanJson(workspace);
    const slow = findings.find((f) => f.file === 'big/openapi.yaml');
    expect(slow?.ruleId).toBe('spec-analysis-incomplete');
    expect(slow?.message).toMatch(/took longer than 0\.05 s/);
  });

  it('stops a file that needs more than limits.memoryMb and goes on', () => {
    const workspace = makeWorkspace({
      '.apiguard.yml': 'limits: { memoryMb: 128 }\n',
      'big/openapi.json': objectHeavySpec(600_000),
      'openapi.yaml': GOOD_SPEC,
    });
    const { findings } = scanJson(workspace);
    const heavy = findings.find((f) => f.file === 'big/openapi.json');
    expect(heavy?.ruleId).toBe('spec-analysis-incomplete');
    expect(heavy?.message).toMatch(/more than 128 MB of memory/);
    expect(
      findings.some((f) => f.file === 'openapi.yaml' && f.ruleId === 'write-operation-unprotected'),
    ).toBe(true);
  });
});
