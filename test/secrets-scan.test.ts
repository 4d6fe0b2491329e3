import { readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSecretsInCode } from '../src/analyse/secrets/code.ts';
import { findSecretsInConfig } from '../src/analyse/secrets/files.ts';
import { HARDCODED_SECRET, isTestPath, secretMessage } from '../src/analyse/secrets/rule.ts';
import { MAX_CONFIG_BYTES, scanSecrets } from '../src/analyse/secrets/scan.ts';
import type { RawFinding } from '../src/findings/finding.ts';
import { compareWithAnnotations, parseAnnotations } from './helpers/annotations.ts';
import { fakeSecret, fakeSecretParts, secretSlices, substituteFakeSecrets } from './helpers/fake-secrets.ts';
import { makeWorkspace } from './helpers/workspace.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'secrets');
const workspaces: string[] = [];

afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

function filesIn(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesIn(path) : [path];
  });
}

/** Scans a workspace the way `apiguard scan` does: sources and secret-bearing files, paths relative to it. */
async function scanWorkspace(dir: string, files = filesIn(dir)): Promise<RawFinding[]> {
  const real = realpathSync(dir);
  const { findings } = await scanSecrets(
    {
      sources: files.filter((file) => /\.[cm]?[jt]sx?$/.test(file)),
      secretFiles: files.filter((file) => !/\.[cm]?[jt]sx?$/.test(file)),
    },
    { cwd: dir, workspace: { path: dir, realPath: real } },
  );
  return findings;
}

function workspace(files: Record<string, string>): string {
  const dir = realpathSync(makeWorkspace(files, 'apiguard-secrets-'));
  workspaces.push(dir);
  return dir;
}

/** The annotated fixtures, copied with generated secrets and scanned once. */
const fixtureDir = join(FIXTURES, 'app');
const sources = filesIn(fixtureDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const slices: string[] = [];
const copy: Record<string, string> = {};
for (const { file, text } of sources) {
  const { text: substituted, secrets } = substituteFakeSecrets(text);
  for (const { prefix, value } of secrets) slices.push(...secretSlices(value, prefix));
  copy[relative(fixtureDir, file)] = substituted;
}
const fixtureFindings = await scanWorkspace(workspace(copy));

describe('annotated fixtures, with generated secrets', () => {
  it.each(sources.map(({ file, text }) => [relative(fixtureDir, file), text]))('%s', (file, text) => {
    const reported = fixtureFindings.filter((finding) => finding.file === file && !finding.suppression);
    const annotations = parseAnnotations(text);
    expect(annotations.length).toBeGreaterThan(0);
    expect(
      compareWithAnnotations(annotations, reported),
      JSON.stringify(reported.map((finding) => [finding.line, finding.message])),
    ).toEqual([]);
  });

  it('never puts a secret into a message, and fingerprints by hash', () => {
    expect(fixtureFindings.length).toBeGreaterThan(30);
    for (const finding of fixtureFindings) {
      for (const slice of slices) {
        expect(finding.message).not.toContain(slice);
        expect(finding.anchor).not.toContain(slice);
      }
      expect(finding.anchor).toMatch(/^secret:[a-z0-9-]+:[0-9a-f]{64}$/);
      expect(finding).toMatchObject({ ruleId: 'hardcoded-secret', engine: 'code', cwe: ['CWE-798'] });
    }
  });

  it('records why a suppressed finding is silenced', () => {
    const suppressed = fixtureFindings.filter((finding) => finding.suppression);
    expect(suppressed.map((finding) => [finding.file, finding.suppression]).sort()).toEqual([
      ['config/.env', { kind: 'inline', reason: 'rotated in 2024, kept for the migration test' }],
      ['src/server.ts', { kind: 'inline', reason: "the storage emulator's published key" }],
    ]);
  });
});

describe('code: what each place and use says', () => {
  function messagesFor(code: string, file = 'src/app.ts'): string[] {
    return findSecretsInCode(code, file).map((found) => secretMessage(found, 'code'));
  }

  it('reads string literals after decoding escapes, and points at the literal', () => {
    const key = fakeSecret('pem-crlf-escaped');
    const code = `const a = 1;\nexport const privateKey = '${key}';\n`;
    const [found] = findSecretsInCode(code, 'lib/insecurity.ts');
    expect(found?.match.id).toBe('private-key');
    expect(code.slice(found!.start, found!.end)).toBe(`'${key}'`);
    expect(secretMessage(found!, 'code')).toMatch(
      /^PEM private key \(----…, \d+ chars\) assigned to "privateKey"\. Load it from an environment variable or a secret store, and rotate it/,
    );
  });

  it('points at the secret itself when the literal has no escapes', () => {
    const token = fakeSecret('github-pat');
    const code = `call({ note: 'token ${token} here' });`;
    const [found] = findSecretsInCode(code, 'a.ts');
    expect(code.slice(found!.start, found!.end)).toBe(token);
  });

  it('names the use of a key', () => {
    expect(messagesFor("crypto.createHmac('sha256', 'pa4qacea4VK9t9nG')")[0]).toMatch(
      /^HMAC key \(pa4q…, 16 chars\) passed to crypto\.createHmac\(\)\./,
    );
    expect(messagesFor("app.use(cookieParser('kekse'))")[0]).toMatch(
      /^Cookie signing secret \(k…, 5 chars\) passed to cookieParser\(\)\./,
    );
    expect(messagesFor("app.use(expressSession({ secret: 'keyboard cat' }))")[0]).toMatch(
      /^Session secret \(key…, 12 chars\) passed to expressSession\(\) as "secret"\./,
    );
    expect(messagesFor("const t = jwt.sign(claims, 'shhhhh', { expiresIn: '1h' })")[0]).toMatch(
      /^JWT signing secret \(s…, 6 chars\) passed to jwt\.sign\(\)\./,
    );
    expect(messagesFor("this.jwtService.sign(payload, { secret: 'nest-dev-key' })")[0]).toMatch(
      /^JWT signing secret \(nes…, 12 chars\) passed to jwtService\.sign\(\) as "secret"\./,
    );
    expect(
      messagesFor(
        "class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ secretOrKey: 'nest-dev' }); } }",
      )[0],
    ).toMatch(/^JWT signing secret \(ne…, 8 chars\) passed to super\(\) as "secretOrKey"\./);
    expect(messagesFor("const key = 'short-key';\njws.verify(token, key)")[0]).toMatch(
      /^JWT signing secret \(sh…, 9 chars\) assigned to "key" and passed to jws\.verify\(\)\./,
    );
  });

  it('reports the fallback of a secret-named environment variable, with the fix for fallbacks', () => {
    for (const code of [
      "const secret = process.env.JWT_SECRET || 'secret123'",
      "const secret = process.env['JWT_SECRET'] ?? 'secret123'",
      "const secret = import.meta.env.JWT_SECRET ?? 'secret123'",
      "const secret = Deno.env.get('JWT_SECRET') ?? 'secret123'",
    ]) {
      const [message] = messagesFor(code);
      expect(message, code).toMatch(/^Hardcoded secret \(se…, 9 chars\) used when .*JWT_SECRET.* is unset\./);
      expect(message).toContain(
        'Remove the fallback so that a missing variable stops the service at start-up',
      );
    }
    expect(messagesFor("const dbPassword = process.env.DB_PW || 'local-dev'")[0]).toMatch(
      /^Hardcoded password \(lo…, 9 chars\) used when process\.env\.DB_PW is unset/,
    );
  });

  it.each([
    ['an environment lookup', 'const secret = process.env.JWT_SECRET;'],
    ['an empty fallback', "const secret = process.env.JWT_SECRET || '';"],
    ['a "none" fallback', "const token = process.env.TOKEN ?? 'none';"],
    ['a placeholder fallback', "const apiKey = process.env.API_KEY || 'your-api-key';"],
    ['a fallback of a plain variable', "const port = process.env.PORT || '8080';"],
    ['a key read from a variable', 'jwt.sign(payload, secret);'],
    [
      'a public key passed to verify',
      "jwt.verify(token, '-----BEGIN PUBLIC KEY-----\\nMIIBIjAN\\n-----END PUBLIC KEY-----');",
    ],
    ['crypto.sign, not a JWT', "crypto.sign('sha256', data, 'not-a-jwt-key');"],
    ['an encoding argument', "cipher.update(data, 'utf8', 'hex');"],
    ['a label', "const passwordLabel = 'Enter your password';"],
    ['a hash', "const sha256 = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';"],
    ['a UUID under a token name', "const token = '9b2c7c1e-8f4a-4d7e-9a61-3c5f0e2b7d48';"],
    ['words in camel case', "localStorage.setItem('token', 'definitelyInvalidJWT');"],
    ['a type', "type Secret = 'sk_test_abc' | 'hunter2';"],
    ['a table keyed by option names', "const uses = { secretOrKey: 'jwt-secret' };"],
    ['an import', "import secrets from './secrets/api-key-1234567890abcdef.json';"],
    ['a template with substitutions', `const apiKey = \`\${prefix}-\${random()}-live\`;`],
  ])('not: %s', (_name, code) => {
    expect(messagesFor(code)).toEqual([]);
  });

  it('finds provider formats in comments and JSX text, once', () => {
    const token = fakeSecret('stripe-live');
    const code = `// Stripe: ${token}\nexport const A = () => <p>${fakeSecret('npm')}</p>;\nconst stripe = '${token}';\n`;
    const found = findSecretsInCode(code, 'a.tsx');
    expect(found.map((secret) => [code.slice(0, secret.start).split('\n').length, secret.match.id])).toEqual([
      [1, 'stripe-live-secret-key'],
      [2, 'npm-token'],
      [3, 'stripe-live-secret-key'],
    ]);
  });

  it('reads JavaScript with JSX and CommonJS', () => {
    const code = `module.exports = { session: { secret: '${fakeSecret('generic-token')}' } };\nconst x = <a/>;`;
    expect(findSecretsInCode(code, 'config.js').map((found) => found.match.id)).toEqual(['generic-secret']);
  });

  it('reads a file that does not parse as far as it goes, and its text', () => {
    const code = `const a = {{{ ;;; '${fakeSecret('github-pat')}' )))`;
    expect(findSecretsInCode(code, 'broken.ts').map((found) => found.match.id)).toEqual(['github-ghp-token']);
  });

  it('stays bounded on hostile nesting and many literals', () => {
    const nested = `${'['.repeat(50_000)}'${fakeSecret('npm')}'${']'.repeat(50_000)}`;
    const many = `const a = [${Array.from({ length: 20_000 }, () => `'${fakeSecret('github-pat')}'`).join(',')}];`;
    const started = performance.now();
    expect(findSecretsInCode(nested, 'nested.ts').map((found) => found.match.id)).toEqual(['npm-token']);
    expect(findSecretsInCode(many, 'many.ts').length).toBe(50);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('configuration and key files', () => {
  it('reads JSON keys, and JSON with comments as lines', () => {
    const token = fakeSecret('generic-token');
    const json = `{\n  "name": "app",\n  "auth": { "clientSecret": "${token}" }\n}\n`;
    const [found] = findSecretsInConfig(json, 'json');
    expect(json.slice(found!.start, found!.end)).toBe(token);
    expect(secretMessage(found!, 'json')).toMatch(
      /^Hardcoded secret \(.{4}…, 32 chars\) in "clientSecret"\./,
    );
    const jsonc = `// tsconfig-style comments\n{\n  "clientSecret": "${token}"\n}\n`;
    expect(findSecretsInConfig(jsonc, 'json').map((secret) => secret.where)).toEqual(['in "clientSecret"']);
  });

  it('reads JSON arrays under their key, escapes decoded, and JSON5 as lines', () => {
    const pem = fakeSecret('pem-rsa');
    const json = `{"keys": ["${fakeSecret('stripe-live')}"], /* note */ "private_key": ${JSON.stringify(pem)},}`;
    const found = findSecretsInConfig(json, 'json');
    expect(found.map((secret) => [secret.match.id, secret.where])).toEqual([
      ['stripe-live-secret-key', 'in "keys"'],
      ['private-key', 'in "private_key"'],
    ]);
    // Escapes shift offsets: the whole string is reported.
    expect(json.slice(found[1]!.start, found[1]!.end)).toBe(JSON.stringify(pem).slice(1, -1));
    const json5 = `{ clientSecret: '${fakeSecret('generic-token')}' }`;
    expect(findSecretsInConfig(json5, 'json').map((secret) => secret.where)).toEqual(['in "clientSecret"']);
  });

  it('reads YAML list items under their key, and skips aliases', () => {
    const yaml = `keys:\n  - '${fakeSecret('stripe-live')}'\nbase: &base\n  password: '${fakeSecret('password')}'\nother: *base\n`;
    expect(findSecretsInConfig(yaml, 'yaml').map((found) => found.match.id)).toEqual([
      'stripe-live-secret-key',
      'generic-password',
    ]);
  });

  it('reads .npmrc auth tokens, placeholders aside', () => {
    const npmrc = `//registry.npmjs.org/:_authToken=${fakeSecret('npm')}\n//npm.pkg.github.com/:_authToken=\${GITHUB_TOKEN}\n`;
    const found = findSecretsInConfig(npmrc, 'npmrc');
    expect(found.map((secret) => [secret.match.id, secret.where])).toEqual([
      ['npm-token', 'in "_authToken"'],
    ]);
  });

  it('reports a legacy npm token (a UUID) under _authToken in .npmrc only', () => {
    const npmrc = '//registry.npmjs.org/:_authToken=9b2c7c1e-8f4a-4d7e-9a61-3c5f0e2b7d48\n';
    const [found] = findSecretsInConfig(npmrc, 'npmrc');
    expect(found?.match).toMatchObject({ id: 'npm-token', provider: true, redacted: '9b2c…, 36 chars' });
    expect(secretMessage(found!, 'npmrc')).toContain(`Write \`_authToken=\${NPM_TOKEN}\``);
    expect(findSecretsInConfig(npmrc.replace('.npmrc', ''), 'env')).toEqual([]);
  });

  it('reads multi-line quoted values in dotenv and TOML files', () => {
    const pem = fakeSecret('pem-rsa');
    for (const [kind, text] of [
      ['env', `A=1\nPRIVATE_KEY="${pem}"\nB=2\n`],
      ['toml', `a = 1\nprivate_key = """\n${pem}"""\nb = 2\n`],
    ] as const) {
      const found = findSecretsInConfig(text, kind);
      expect(
        found.map((secret) => secret.match.id),
        kind,
      ).toEqual(['private-key']);
      expect(text.slice(0, found[0]!.start).split('\n').length).toBe(kind === 'env' ? 2 : 3);
    }
  });

  it('reports private keys in key files, not public keys or certificates', () => {
    const body = fakeSecret('generic-token').repeat(3);
    expect(findSecretsInConfig(fakeSecret('pem-openssh'), 'key').map((found) => found.match.id)).toEqual([
      'private-key',
    ]);
    for (const label of ['PUBLIC KEY', 'CERTIFICATE', 'RSA PUBLIC KEY']) {
      expect(
        findSecretsInConfig(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`, 'key'),
      ).toEqual([]);
    }
  });

  it('skips files over the size cap and binary files', async () => {
    const token = fakeSecret('github-pat');
    const dir = workspace({
      'big.json': `{"token": "${token}", "pad": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`,
      'small.json': `{"token": "${token}"}`,
    });
    writeFileSync(join(dir, 'binary.key'), Buffer.from([0, 1, 2, ...Buffer.from(fakeSecret('pem-rsa'))]));
    expect((await scanWorkspace(dir)).map((finding) => finding.file)).toEqual(['small.json']);
  });
});

describe('severity', () => {
  it('is error for provider formats, warning for generic secrets, info in test paths', async () => {
    const code = `export const a = '${fakeSecret('stripe-live')}';\nexport const apiKey = '${fakeSecret('generic-token')}';\n`;
    const dir = workspace({
      'src/keys.ts': code,
      'test/keys.ts': code,
      'src/keys.spec.ts': code,
      'src/__tests__/keys.ts': code,
      'src/__mocks__/keys.ts': code,
      'fixtures/keys.ts': code,
      'src/keys.test.js': code,
    });
    const findings = await scanWorkspace(dir);
    const bySeverity = (file: string) =>
      findings.filter((finding) => finding.file === file).map((finding) => finding.severity);
    expect(bySeverity('src/keys.ts')).toEqual(['error', 'warning']);
    for (const file of [
      'test/keys.ts',
      'src/keys.spec.ts',
      'src/__tests__/keys.ts',
      'src/__mocks__/keys.ts',
      'fixtures/keys.ts',
      'src/keys.test.js',
    ])
      expect(bySeverity(file), file).toEqual(['info', 'info']);
  });

  it('tells test paths apart', () => {
    expect(isTestPath('src/testing/keys.ts')).toBe(false);
    expect(isTestPath('src/latest/keys.ts')).toBe(false);
    expect(isTestPath('contest.ts')).toBe(false);
    expect(isTestPath('packages/api/tests/keys.ts')).toBe(true);
  });
});

describe('the rule', () => {
  it('is one rule for both engines', () => {
    expect(HARDCODED_SECRET.engine).toEqual(['openapi', 'code']);
  });

  it('flags its vulnerable example and not its safe one', () => {
    const { vulnerable, safe } = HARDCODED_SECRET.examples!;
    expect(findSecretsInCode(vulnerable, 'example.ts').map((found) => found.match.id)).toEqual([
      'cookie-secret',
      'jwt-secret',
    ]);
    expect(findSecretsInCode(safe, 'example.ts')).toEqual([]);
  });

  it('describes the Stripe example of the issue', () => {
    const { prefix, value } = fakeSecretParts('stripe-live');
    const [found] = findSecretsInCode(`const stripe = new Stripe('${value}');`, 'a.ts');
    expect(prefix).toBe('sk_live_');
    expect(secretMessage(found!, 'code')).toMatch(
      /^Stripe live secret key \(sk_l…, 32 chars\) hardcoded in the source\./,
    );
  });
});
