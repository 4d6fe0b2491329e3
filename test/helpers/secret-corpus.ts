/**
 * Positive and negative corpora for the hardcoded-secret checks, generated at test time (no realistic key is
 * committed): the positive corpus plants each provider format in code, `.env`, YAML and JSON, plus the
 * secrets only code-aware detection sees; the negative one holds decoys in the same places. Shared by the
 * redaction test and the secretlint comparison in scripts/bench.ts.
 */
import { type FakeSecretKind, fakeSecretParts } from './fake-secrets.ts';

export interface PlantedSecret {
  file: string;
  /** 1-based line where the secret starts. */
  line: number;
  value: string;
  /** The public part of the format, which a message may show. */
  prefix: string;
  /** What was planted, for reports: `stripe-live in .env`. */
  label: string;
}

export interface Corpus {
  files: Record<string, string>;
  planted: PlantedSecret[];
}

const PROVIDER_KINDS: FakeSecretKind[] = [
  'aws-access-key-id',
  'github-pat',
  'github-oauth',
  'github-user',
  'github-server',
  'github-refresh',
  'github-fine-grained',
  'gitlab-pat',
  'slack-bot',
  'slack-user',
  'slack-webhook',
  'stripe-live',
  'stripe-restricted',
  'google-api-key',
  'openai',
  'openai-legacy',
  'anthropic',
  'npm',
  'sendgrid',
  'twilio-api-key',
  'pem-rsa',
  'pem-escaped',
  'pem-openssh',
  'jwt',
];

/** A file written line by line that records on which line each planted secret starts. */
class FileWriter {
  readonly lines: string[] = [];
  readonly path: string;
  readonly corpus: Corpus;

  constructor(path: string, corpus: Corpus) {
    this.path = path;
    this.corpus = corpus;
  }

  line(text: string): this {
    this.lines.push(...text.split('\n'));
    return this;
  }

  /** Writes `template` with `%s` replaced by the secret and records it. */
  plant(template: string, secret: { value: string; prefix: string }, label: string): this {
    const [before = '', after = ''] = template.split('%s');
    const line = this.lines.length + before.split('\n').length;
    this.corpus.planted.push({ file: this.path, line, value: secret.value, prefix: secret.prefix, label });
    return this.line(`${before}${secret.value}${after}`);
  }

  done(): void {
    this.corpus.files[this.path] = `${this.lines.join('\n')}\n`;
  }
}

let variantCounter = 0;
/** Every planted value is distinct: each call takes the next variant of the kind. */
function fresh(kind: FakeSecretKind): { value: string; prefix: string } {
  return fakeSecretParts(kind, 100 + variantCounter++);
}

/** The value alone, for kinds planted where only its characters matter (a key of a given length). */
function randomValue(kind: FakeSecretKind, length?: number): { value: string; prefix: string } {
  const { value } = fresh(kind);
  return { value: length ? value.slice(0, length) : value, prefix: '' };
}

function isMultiline(value: string): boolean {
  return value.includes('\n');
}

function yamlBlock(value: string, indent: string): string {
  return `|\n${value
    .trimEnd()
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n')}`;
}

export function positiveCorpus(): Corpus {
  variantCounter = 0;
  const corpus: Corpus = { files: {}, planted: [] };
  for (const kind of PROVIDER_KINDS) {
    const name = kind.toUpperCase().replace(/-/g, '_');
    const code = new FileWriter(`src/providers/${kind}.ts`, corpus)
      .line("import { createClient } from '../client';")
      .line('');
    const codeSecret = fresh(kind);
    code.plant(
      isMultiline(codeSecret.value)
        ? 'export const material = `%s`;'
        : "export const client = createClient({ region: 'eu-west-1' }, '%s');",
      codeSecret,
      `${kind} in code`,
    );
    code.done();

    const envSecret = fresh(kind);
    new FileWriter(`config/${kind}/.env`, corpus)
      .line(`# ${kind}`)
      .line('SERVICE_URL=https://api.acme-corp.io')
      .plant(isMultiline(envSecret.value) ? `${name}="%s"` : `${name}=%s`, envSecret, `${kind} in .env`)
      .done();

    const yamlSecret = fresh(kind);
    const yaml = new FileWriter(`config/${kind}/settings.yml`, corpus)
      .line('service:')
      .line('  endpoint: https://api.acme-corp.io');
    if (isMultiline(yamlSecret.value)) {
      yaml.line('  credential: |');
      const first = yaml.lines.length + 1;
      corpus.planted.push({ file: yaml.path, line: first, ...yamlSecret, label: `${kind} in YAML` });
      yaml.line(yamlBlock(yamlSecret.value, '    ').slice(2));
    } else yaml.plant("  credential: '%s'", yamlSecret, `${kind} in YAML`);
    yaml.done();

    const jsonSecret = fresh(kind);
    new FileWriter(`config/${kind}/settings.json`, corpus)
      .line('{')
      .line('  "service": {')
      .line('    "endpoint": "https://api.acme-corp.io",')
      // The value as written in JSON: newlines of a PEM block become `\n` escapes.
      .plant(
        '    "credential": "%s"',
        { ...jsonSecret, value: JSON.stringify(jsonSecret.value).slice(1, -1) },
        `${kind} in JSON`,
      )
      .line('  }')
      .line('}')
      .done();
  }

  // What only code-aware detection finds: escapes decoded, names, known uses of keys, env fallbacks.
  new FileWriter('src/app.ts', corpus)
    .line("import crypto from 'node:crypto';")
    .line("import express from 'express';")
    .line("import jwt from 'jsonwebtoken';")
    .line('')
    .line('const app = express();')
    .plant("const privateKey = '%s';", fresh('pem-crlf-escaped'), 'RSA key with \\r\\n escapes in code')
    .plant(
      "export const hmac = (data: string) => crypto.createHmac('sha256', '%s').update(data).digest('hex');",
      randomValue('generic-token', 24),
      'HMAC key literal',
    )
    .plant("app.use(cookieParser('%s'));", { value: 'kekse', prefix: '' }, 'cookie secret literal')
    .plant(
      "app.use(session({ secret: '%s', resave: false }));",
      { value: 'keyboard cat', prefix: '' },
      'session secret',
    )
    .plant(
      "export const sign = (payload: object) => jwt.sign(payload, process.env.JWT_SECRET || '%s');",
      { value: 'secret123', prefix: '' },
      'JWT secret as an env fallback',
    )
    .plant("const apiKey = '%s';", fresh('generic-token'), 'generic API key in code')
    .plant(
      "export function connect(user: string, password = '%s') {}",
      fresh('password'),
      'default parameter password',
    )
    .plant(
      "export const pool = new Pool({ connectionString: 'postgres://app:%s@db.acme-corp.io:5432/app' });",
      fresh('password'),
      'connection string password in code',
    )
    .plant(
      "export const s3 = new S3({ secretAccessKey: '%s' });",
      fresh('aws-secret-access-key'),
      'AWS secret in code',
    )
    .plant(
      "export const headers = { Authorization: 'Bearer %s' };",
      fresh('generic-token'),
      'bearer token in code',
    )
    .plant("const webhookSecret = '%s';", fresh('generic-hex'), 'hex webhook secret in code')
    .plant(
      "export const oauth = { client_id: 'acme-web', client_secret: '%s' };",
      fresh('generic-token'),
      'client secret in code',
    )
    // Routes after the middlewares: route rules describe the chain, which must not quote the keys above.
    .line(
      'const requireAuth = (req, res, next) => (req.headers.authorization ? next() : res.sendStatus(401));',
    )
    .line("app.get('/v1/me', requireAuth, (req, res) => res.json(req.user));")
    .line("app.post('/v1/orders', (req, res) => res.status(201).json(req.body));")
    .line('export { apiKey, privateKey, webhookSecret };')
    .done();

  new FileWriter('.env.production', corpus)
    .plant('DB_PASSWORD=%s', fresh('password'), 'password in .env')
    .plant('API_SECRET=%s', fresh('generic-token'), 'generic secret in .env')
    .plant('AWS_SECRET_ACCESS_KEY=%s', fresh('aws-secret-access-key'), 'AWS secret in .env')
    .plant('DATABASE_URL=postgres://app:%s@db.acme-corp.io/app', fresh('password'), 'URL password in .env')
    .done();

  new FileWriter('config/database.yml', corpus)
    .line('production:')
    .line('  host: db.acme-corp.io')
    .plant("  password: '%s'", fresh('password'), 'password in YAML')
    .done();

  new FileWriter('.npmrc', corpus)
    .line('registry=https://registry.npmjs.org/')
    .plant('//registry.npmjs.org/:_authToken=%s', fresh('npm'), 'npm token in .npmrc')
    .done();

  new FileWriter('docker-compose.yml', corpus)
    .line('services:')
    .line('  db:')
    .line('    image: postgres:16')
    .line('    environment:')
    .plant('      - POSTGRES_PASSWORD=%s', fresh('password'), 'password in docker-compose')
    .line('      - POSTGRES_USER=app')
    .done();

  return corpus;
}

const RANDOM_DECOY = 'Zq8rT2vL9xWm4NpK7sBd3Fh6Jc1Gy5Ue';

/** Values under secret-looking names that are not secrets: placeholders, references, public material. */
function decoyValues(): [name: string, value: string][] {
  const { value: stripeTest } = fakeSecretParts('stripe-test', 9);
  const { value: stripePublishable } = fakeSecretParts('stripe-publishable', 9);
  const { value: twilioSid } = fakeSecretParts('twilio-account-sid', 9);
  return [
    ['password', 'changeme'],
    ['apiKey', 'your-api-key-goes-here'],
    ['token', '<token-from-the-dashboard>'],
    ['stripeSecretKey', 'sk_live_...'],
    ['githubToken', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['slackToken', 'xoxb-your-bot-token-here'],
    ['secret', 'xxxxxxxxxxxxxxxxxxxxxxxx'],
    ['password', '************************'],
    ['awsAccessKeyId', 'AKIAIOSFODNN7EXAMPLE'],
    ['awsSecretAccessKey', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['stripeKey', stripeTest],
    ['publishableKey', stripePublishable],
    ['accountSid', twilioSid],
    ['requestId', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
    ['apiKey', '3fa85f64-5717-4562-b3fc-2c963f66afa6'],
    ['checksum', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ['commit', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
    ['etag', '5d41402abc4b2a76b9719d911017c592'],
    ['passwordHash', '$2b$12$KIXQJ8z9eYhG1wWz5b6r0uJ3Yw8cQe9Xc1m3y5vH6y5qHf8d7s6a2'],
    ['passwordLabel', 'Password'],
    ['tokenType', 'Bearer'],
    ['tokenUrl', 'https://auth.acme-corp.io/oauth/token'],
    ['secretName', 'prod/payments/stripe'],
    ['keyId', RANDOM_DECOY],
    ['nextPageToken', RANDOM_DECOY],
    ['csrfToken', RANDOM_DECOY],
    ['publicKey', RANDOM_DECOY],
    ['sessionId', RANDOM_DECOY],
    ['databaseUrl', 'postgres://user:password@localhost:5432/app'],
    ['mongoUrl', 'mongodb://root:changeme@mongo:27017'],
    ['repository', 'https://deploy@git.acme-corp.io/app.git'],
    [
      'sample',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ],
    ['unsigned', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.'],
    ['LABEL_PASSWORD', 'Passwort'],
    ['apiKeyHint', 'API-Schlüssel eingeben'],
    ['integrity', 'sha512-Q2xBbmsSrJbwtd6fT0r1V6sQ3yN0r9kzZk2cW4cCwHQ5pXc1mGqVdXfW7x3NnTq8F0b1w=='],
  ];
}

const PUBLIC_PEM = `-----BEGIN PUBLIC KEY-----\n${RANDOM_DECOY.repeat(2)}\n${RANDOM_DECOY.repeat(2)}\n-----END PUBLIC KEY-----`;
const CERTIFICATE = `-----BEGIN CERTIFICATE-----\n${RANDOM_DECOY.repeat(2)}\n${RANDOM_DECOY.repeat(2)}\n-----END CERTIFICATE-----`;

export function negativeCorpus(): Corpus {
  const corpus: Corpus = { files: {}, planted: [] };
  const decoys = decoyValues();
  const code = new FileWriter('src/config.ts', corpus).line('export const settings = {');
  for (const [name, value] of decoys) code.line(`  ${JSON.stringify(name)}: ${JSON.stringify(value)},`);
  code
    .line('};')
    .line('')
    .line("import jwt from 'jsonwebtoken';")
    .line('const jwtSecret = process.env.JWT_SECRET;')
    .line("if (!jwtSecret) throw new Error('JWT_SECRET is not set');")
    .line('export const sign = (payload: object) => jwt.sign(payload, jwtSecret);')
    .line("export const verify = (token: string) => jwt.verify(token, process.env.JWT_PUBLIC_KEY ?? '');")
    .line('app.use(cookieParser(process.env.COOKIE_SECRET));')
    .line("export const hmac = (key: string, data: string) => crypto.createHmac('sha256', key).update(data);")
    .line("const port = process.env.PORT || '3000';")
    .line("const password = process.env.DB_PASSWORD ?? '';")
    .line('export const publicKey = `' + PUBLIC_PEM + '`;')
    .line('export const certificate = `' + CERTIFICATE + '`;')
    .line("const passwordInput = document.querySelector('input[type=password]');")
    .line(
      "export const messages = { forgotPassword: 'Forgot your password?', tokenExpired: 'Your session token expired' };",
    )
    .line(`export const url = \`postgres://app:\${process.env.DB_PASSWORD}@db.acme-corp.io:5432/app\`;`)
    .line('export { port, password, passwordInput };')
    .done();

  const env = new FileWriter('.env.example', corpus);
  for (const [name, value] of decoys) {
    if (!/\s/.test(value)) env.line(`${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}=${value}`);
  }
  env.line(`JWT_SECRET=\${JWT_SECRET}`).line('NODE_ENV=production').done();

  const yaml = new FileWriter('config/settings.yml', corpus).line('settings:');
  for (const [name, value] of decoys) yaml.line(`  ${name}: ${JSON.stringify(value)}`);
  yaml.line('  publicKey: |').line(yamlBlock(PUBLIC_PEM, '    ').slice(2)).done();

  corpus.files['config/settings.json'] = `${JSON.stringify(Object.fromEntries(decoys), null, 2)}\n`;
  corpus.files['.github/workflows/deploy.yml'] =
    `jobs:\n  deploy:\n    steps:\n      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}\n`;
  corpus.files['.npmrc'] = `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`;
  corpus.files['certs/server.pem'] = `${CERTIFICATE}\n`;
  corpus.files['certs/jwt.pub'] = `${PUBLIC_PEM}\n`;
  return corpus;
}

/** Whether a reported range (1-based lines) covers a planted secret. */
export function coversPlanted(planted: PlantedSecret, file: string, line: number, endLine = line): boolean {
  return planted.file === file && line <= planted.line && planted.line <= Math.max(line, endLine);
}
