import { describe, expect, it } from 'vitest';
import {
  describeSecret,
  detectSecrets,
  isSecretName,
  MAX_SCAN_LENGTH,
  redactSecrets,
  SECRET_KINDS,
  type SecretMatch,
} from '../src/analyse/secrets/index.ts';
import { type FakeSecretKind, fakeSecret, fakeSecretParts, secretSlices } from './helpers/fake-secrets.ts';

interface Positive {
  fake: FakeSecretKind;
  id: string;
  /** Builds the scanned value around the secret; the secret alone when absent. */
  around?: (secret: string) => string;
  key?: string;
  /** The part reported, when it is not the secret itself. */
  reported?: (value: string) => string;
}

const POSITIVES: Positive[] = [
  { fake: 'aws-access-key-id', id: 'aws-access-key-id' },
  { fake: 'aws-access-key-id', id: 'aws-access-key-id', around: (s) => `aws_access_key_id = ${s}` },
  { fake: 'aws-secret-access-key', id: 'aws-secret-access-key', key: 'aws_secret_access_key' },
  { fake: 'aws-secret-access-key', id: 'aws-secret-access-key', key: 'secretAccessKey' },
  {
    fake: 'aws-secret-access-key',
    id: 'aws-secret-access-key',
    around: (s) => `AWS_SECRET_ACCESS_KEY="${s}"`,
  },
  { fake: 'github-pat', id: 'github-ghp-token' },
  {
    fake: 'github-pat',
    id: 'github-ghp-token',
    around: (s) => `curl -H "Authorization: token ${s}" https://x`,
  },
  { fake: 'github-oauth', id: 'github-gho-token' },
  { fake: 'github-user', id: 'github-ghu-token' },
  { fake: 'github-server', id: 'github-ghs-token' },
  { fake: 'github-refresh', id: 'github-ghr-token' },
  { fake: 'github-fine-grained', id: 'github-fine-grained-token' },
  { fake: 'gitlab-pat', id: 'gitlab-glpat-token', around: (s) => `PRIVATE-TOKEN: ${s}` },
  { fake: 'slack-bot', id: 'slack-token' },
  { fake: 'slack-user', id: 'slack-token', key: 'note' },
  { fake: 'slack-webhook', id: 'slack-webhook' },
  { fake: 'stripe-live', id: 'stripe-live-secret-key' },
  { fake: 'stripe-live', id: 'stripe-live-secret-key', around: (s) => `Stripe::API.key = '${s}'` },
  { fake: 'stripe-restricted', id: 'stripe-live-restricted-key' },
  { fake: 'google-api-key', id: 'google-api-key', around: (s) => `https://maps.googleapis.com/x?key=${s}` },
  { fake: 'openai', id: 'openai-api-key' },
  { fake: 'openai-legacy', id: 'openai-api-key' },
  { fake: 'anthropic', id: 'anthropic-api-key' },
  { fake: 'npm', id: 'npm-token', around: (s) => `//registry.npmjs.org/:_authToken=${s}` },
  { fake: 'sendgrid', id: 'sendgrid-api-key' },
  { fake: 'twilio-api-key', id: 'twilio-api-key' },
  { fake: 'pem-rsa', id: 'private-key' },
  { fake: 'pem-escaped', id: 'private-key' },
  { fake: 'pem-escaped', id: 'private-key', around: (s) => `{"private_key": "${s}", "client_email": "x"}` },
  { fake: 'pem-openssh', id: 'private-key' },
  { fake: 'jwt', id: 'jwt' },
  { fake: 'jwt', id: 'jwt', key: 'Authorization', around: (s) => `Bearer ${s}` },
  { fake: 'password', id: 'url-password', around: (s) => `postgres://app:${s}@db.acme-corp.io:5432/app` },
  { fake: 'password', id: 'url-password', around: (s) => `https://deploy:${s}@api.acme.io/v1` },
  { fake: 'password', id: 'generic-password', key: 'password' },
  { fake: 'password', id: 'generic-password', key: 'db_pass' },
  { fake: 'password', id: 'generic-password', around: (s) => `DB_PASSWORD=${s}` },
  { fake: 'generic-token', id: 'generic-secret', key: 'apiKey' },
  { fake: 'generic-token', id: 'generic-secret', key: 'X-Api-Key' },
  { fake: 'generic-token', id: 'generic-secret', key: 'client_secret' },
  { fake: 'generic-token', id: 'generic-secret', key: 'accessToken' },
  { fake: 'generic-token', id: 'generic-secret', key: 'Authorization', around: (s) => `Bearer ${s}` },
  {
    fake: 'generic-token',
    id: 'generic-secret',
    around: (s) => `{"client_secret":"${s}","client_id":"abc"}`,
  },
  { fake: 'generic-token', id: 'generic-secret', around: (s) => `export API_TOKEN=${s}` },
  { fake: 'generic-hex', id: 'generic-secret', key: 'webhookSecret' },
  {
    fake: 'password',
    id: 'generic-secret',
    key: 'Authorization',
    around: (s) => `Basic ${Buffer.from(`deploy:${s}`).toString('base64')}`,
    reported: (value) => value.slice('Basic '.length),
  },
];

function detect(positive: Positive, variant = 0): { value: string; secret: string; matches: SecretMatch[] } {
  const secret = fakeSecret(positive.fake, variant);
  const value = positive.around ? positive.around(secret) : secret;
  return { value, secret, matches: detectSecrets(value, positive.key ? { key: positive.key } : {}) };
}

describe('detectSecrets: provider formats and named secrets', () => {
  it.each(POSITIVES.map((positive) => [positive.id, positive.fake, positive.key ?? '', positive]))(
    '%s (%s %s)',
    (_id, _fake, _key, positive) => {
      for (const variant of [0, 1, 2]) {
        const { value, secret, matches } = detect(positive, variant);
        expect(matches.map((match) => match.id)).toEqual([positive.id]);
        const [match] = matches;
        const expected = positive.reported
          ? positive.reported(value)
          : positive.fake === 'pem-rsa' || positive.fake === 'pem-openssh'
            ? secret.trimEnd()
            : secret;
        const found = value.slice(match!.start, match!.end);
        expect(found === expected || (positive.fake === 'pem-escaped' && expected.startsWith(found))).toBe(
          true,
        );
      }
    },
  );

  it('marks provider formats and private keys as such, generic matches as not', () => {
    const provider = new Map(SECRET_KINDS.map((kind) => [kind.id, kind.provider]));
    expect(provider.get('stripe-live-secret-key')).toBe(true);
    expect(provider.get('private-key')).toBe(true);
    expect(provider.get('generic-secret')).toBe(false);
    expect(provider.get('jwt')).toBe(false);
    expect(provider.get('url-password')).toBe(false);
  });

  it('reports the Stripe example of the brief as described', () => {
    const [match] = detectSecrets(fakeSecret('stripe-live'));
    expect(describeSecret(match!)).toBe('Stripe live secret key (sk_l…, 32 chars)');
    expect(Object.keys(match!).sort()).toEqual(
      ['end', 'hash', 'id', 'kind', 'placeholder', 'provider', 'redacted', 'start'].sort(),
    );
    expect(match!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds several secrets in one text, each once', () => {
    const text = `token=${fakeSecret('github-pat')} and ${fakeSecret('stripe-live')}, key ${fakeSecret('npm')}`;
    expect(detectSecrets(text).map((match) => match.id)).toEqual([
      'github-ghp-token',
      'stripe-live-secret-key',
      'npm-token',
    ]);
  });
});

describe('detectSecrets: decoys', () => {
  const randomToken = fakeSecret('generic-token', 7);
  const decoys: [string, string, string?][] = [
    // Placeholders under secret names.
    ['changeme', 'changeme-changeme', 'password'],
    ['your-api-key', 'your-api-key-goes-here', 'apiKey'],
    ['angle brackets', '<token-from-the-dashboard>', 'token'],
    ['template', `\${STRIPE_SECRET_KEY}`, 'apiKey'],
    ['mustache', '{{ api_key_from_vault }}', 'apiKey'],
    ['braces', '{clientSecretFromConfig}', 'client_secret'],
    ['env var', '$API_TOKEN_PRODUCTION', 'token'],
    ['windows env', '%API_TOKEN_PRODUCTION%', 'token'],
    ['process.env', 'process.env.STRIPE_SECRET_KEY', 'apiKey'],
    ['x run', 'xxxxxxxxxxxxxxxxxxxxxxxx', 'secret'],
    ['stars', '************************', 'password'],
    ['bullets', '••••••••••••', 'password'],
    ['repeated', 'aaaaaaaaaaaaaaaaaaaa', 'token'],
    ['the word password', 'password', 'password'],
    ['the word secret', 'secret', 'secret'],
    ['leet password', 'P@ssw0rd2024!', 'password'],
    ['example', 'example-4f9Tq2LmZ8xK', 'apiKey'],
    ['sample', 'sample_9f8Tq2LmZ8xK3', 'apiKey'],
    ['dummy', 'dummy9f8Tq2LmZ8xK3', 'apiKey'],
    ['test', 'test_9f8Tq2LmZ8xK3aB', 'apiKey'],
    ['fake', 'fake-9f8Tq2LmZ8xK3aB', 'apiKey'],
    ['sequence', 'abcdef123456', 'token'],
    ['keyboard', 'Qwerty12345!Qwerty', 'password'],
    ['low entropy', 'abababab12121212', 'token'],
    ['single case word', 'correcthorsebatterystaple', 'password'],
    ['env name', 'STRIPE_SECRET_KEY', 'apiKey'],
    ['identifier', 'getAccessTokenFromCache', 'token'],
    ['path', '/var/run/secrets/kubernetes.io/serviceaccount/token', 'tokenPath'],
    ['url', 'https://vault.acme.io/v1/secret/data/api', 'secret'],
    ['arn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api', 'secretArn'],
    ['short', 'k9$Tq2L', 'password'],
    // AWS documentation keys.
    ['AWS example key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS example secret', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key'],
    ['AWS example assignment', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    // Public material.
    [
      'public key',
      `-----BEGIN PUBLIC KEY-----\n${fakeSecret('generic-token').repeat(3)}\n-----END PUBLIC KEY-----`,
      'publicKey',
    ],
    [
      'certificate',
      `-----BEGIN CERTIFICATE-----\n${fakeSecret('generic-token').repeat(3)}\n-----END CERTIFICATE-----`,
      'certificate',
    ],
    [
      'truncated private key',
      '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\\n-----END PRIVATE KEY-----',
    ],
    ['private key header only', '-----BEGIN RSA PRIVATE KEY-----', 'privateKey'],
    ['private key placeholder', '-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----'],
    // Hashes and identifiers.
    ['md5 alone', '5d41402abc4b2a76b9719d911017c592'],
    ['sha1 alone', 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
    ['sha256 checksum', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', 'checksum'],
    ['password hash', '$2b$12$KIXQJ8z9eYhG1wWz5b6r0uJ3Yw8cQe9Xc1m3y5vH6y5qHf8d7s6a2', 'passwordHash'],
    ['hashed token', '25f94a2a5c7fbaf499c665bc73d67c1c87e496da8985131633ee0a95819db2e8', 'hashed_token'],
    ['uuid api key', '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'apiKey'],
    ['uuid token', '9b2c7c1e-8f4a-4d7e-9a61-3c5f0e2b7d48', 'token'],
    ['random under a plain name', randomToken, 'requestId'],
    ['random without a name', randomToken],
    // Names that are not secrets.
    ['passwordLabel', randomToken, 'passwordLabel'],
    ['tokenType', randomToken, 'tokenType'],
    ['secretName', randomToken, 'secretName'],
    ['tokenUrl', randomToken, 'tokenUrl'],
    ['apiKeyHeader', randomToken, 'apiKeyHeader'],
    ['passwordPolicy', randomToken, 'passwordPolicy'],
    ['keyId', randomToken, 'keyId'],
    ['tokenExpiresAt', randomToken, 'tokenExpiresAt'],
    ['publicKey', randomToken, 'publicKey'],
    ['key alone', randomToken, 'key'],
    ['pagination cursor', randomToken, 'nextPageToken'],
    ['CSRF token', randomToken, 'csrf_token'],
    // Provider look-alikes.
    ['Stripe test key', fakeSecret('stripe-test'), 'apiKey'],
    ['Stripe publishable key', fakeSecret('stripe-publishable'), 'publishableKey'],
    ['Twilio account SID', fakeSecret('twilio-account-sid'), 'accountSid'],
    ['GitHub placeholder', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['GitHub too short', 'ghp_1234abcd'],
    ['Slack placeholder', 'xoxb-your-bot-token-here'],
    ['Slack zeros', 'xoxb-0000000000-0000000000-XXXXXXXXXXXXXXXXXXXXXXXX'],
    [
      'Slack webhook placeholder',
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
    ],
    ['Stripe placeholder', 'sk_live_...'],
    ['OpenAI look-alike word', 'sk-learn-is-a-python-library-name'],
    ['scikit', 'pip install scikit-learn'],
    // JWTs that are not credentials.
    [
      'jwt.io sample',
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ],
    ['unsigned jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.'],
    ['not a jwt header', 'eyJub3RoaW5nIjoxfQ.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln'],
    // URLs.
    ['url without credentials', 'https://api.acme.io/v1/users?page=2'],
    ['url with user only', 'https://deploy@api.acme.io/v1'],
    ['url placeholder password', 'postgres://user:password@localhost:5432/app'],
    ['url template password', `https://admin:\${ADMIN_PASSWORD}@api.acme.io`],
    ['url variables', 'https://{username}:{password}@api.acme.io'],
    ['url changeme', 'mongodb://root:changeme@mongo:27017'],
    ['url documentation host', `https://user:${fakeSecret('password')}@api.example.com/v1`],
    ['url same user and password', 'postgres://postgres:postgres@db:5432/app'],
    ['email', 'someone.important@acme-corp.io', 'credentials'],
    // Basic credentials and password hashes.
    ['RFC 7617 Basic example', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'Authorization'],
    ['Basic user:password', 'Basic dXNlcjpwYXNzd29yZA==', 'Authorization'],
    ['bcrypt hash as a password', '$2b$12$KIXQJ8z9eYhG1wWz5b6r0uJ3Yw8cQe9Xc1m3y5vH6y5qHf8d7s6a2', 'password'],
  ];
  it.each(decoys)('%s', (_name, value, key) => {
    expect(detectSecrets(value, key ? { key } : {}).map((match) => match.id)).toEqual([]);
  });
});

describe('isSecretName', () => {
  it.each([
    'password',
    'newPassword',
    'password_confirmation',
    'db_pass',
    'PASSWD',
    'passphrase',
    'secret',
    'clientSecret',
    'client_secret',
    'webhook_secret',
    'token',
    'accessToken',
    'refresh_token',
    'X-Auth-Token',
    'api_key',
    'apiKey',
    'APIKEY',
    'x-api-key',
    'privateKey',
    'private_key_pem',
    'secret_key_base',
    'credentials',
    'auth',
    'Authorization',
    'password2',
  ])('%s is a secret name', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'passwordLabel',
    'tokenType',
    'token_type',
    'secretName',
    'tokenUrl',
    'passwordHint',
    'passwordPath',
    'passwordField',
    'passwordPlaceholder',
    'passwordLength',
    'passwordPolicy',
    'apiKeyHeader',
    'keyId',
    'private_key_id',
    'tokenExpiresAt',
    'passwordHash',
    'hashed_token',
    'publicKey',
    'key',
    'monkey',
    'author',
    'bypass',
    'compass',
    'tokenizer',
    'secretary',
    '',
  ])('%s is not a secret name', (name) => expect(isSecretName(name)).toBe(false));
});

describe('redaction', () => {
  const everyPositive = POSITIVES.flatMap((positive) => [0, 1].map((variant) => ({ positive, variant })));

  it('shows at most the first four characters of a secret, and no 8-character slice of it', () => {
    for (const { positive, variant } of everyPositive) {
      const { secret, matches, value } = detect(positive, variant);
      for (const match of matches) {
        const reported = value.slice(match.start, match.end);
        const shown = /^(.*)…, (\d+) chars$/s.exec(match.redacted);
        expect(shown, match.redacted).not.toBeNull();
        expect(shown![1]!.length).toBeLessThanOrEqual(4);
        expect(reported.startsWith(shown![1]!)).toBe(true);
        expect(Number(shown![2])).toBe(reported.length);
        for (const output of [match.redacted, describeSecret(match)]) {
          for (const slice of secretSlices(secret)) expect(output).not.toContain(slice);
        }
      }
    }
  });

  it('shows a quarter at most of a short secret', () => {
    const [match] = detectSecrets('Zq8#rT2!vL9x', { key: 'password' });
    expect(match?.redacted).toBe('Zq8…, 12 chars');
  });

  it('masks every detectable secret in a text', () => {
    for (const { positive, variant } of everyPositive) {
      const { secret, value } = detect(positive, variant);
      // Named values are only secrets next to their name, so the name goes into the text.
      const text = `before ${positive.key ? `${positive.key}: ${value}` : value} after`;
      const redacted = redactSecrets(text);
      expect(redacted).toContain('[redacted ');
      expect(redacted.startsWith('before ')).toBe(true);
      expect(redacted.endsWith(' after')).toBe(true);
      for (const slice of secretSlices(secret)) expect(redacted).not.toContain(slice);
    }
  });

  it('leaves text without secrets unchanged, placeholders included', () => {
    const text =
      'Use sk_live_... or ghp_... with AKIAIOSFODNN7EXAMPLE at https://api.acme.io (Stripe live secret key).';
    expect(redactSecrets(text)).toBe(text);
  });

  it('masks secrets beyond the per-value scan limit, and across window boundaries', () => {
    const secret = fakeSecret('github-pat');
    // The first one straddles the end of the first window.
    const text = `${'word '.repeat(Math.floor(MAX_SCAN_LENGTH / 5))}${secret} ${'x y '.repeat(20_000)}${secret}`;
    const redacted = redactSecrets(text);
    for (const slice of secretSlices(secret)) expect(redacted).not.toContain(slice);
    expect(redacted.match(/\[redacted GitHub personal access token\]/g)).toHaveLength(2);
  });

  it('keeps the public prefix of the fake secret parts in step with the values', () => {
    const { prefix, value } = fakeSecretParts('stripe-live');
    expect(value.startsWith(prefix)).toBe(true);
  });
});

describe('bounded work on hostile input', () => {
  const size = MAX_SCAN_LENGTH;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const hostile: [string, string][] = [
    ['letters', fill('a')],
    ['JWT starts', fill('eyJ')],
    ['JWT parts', fill('eyJaaaaaaaaa.')],
    ['AWS prefixes', fill('AKIA')],
    ['PEM headers', fill('-----BEGIN RSA PRIVATE KEY-----')],
    ['PEM without end', `-----BEGIN PRIVATE KEY-----${fill('A')}`],
    ['PEM headers and ends', fill('-----BEGIN PRIVATE KEY-----abc-----END ')],
    ['URL schemes', fill('a://b:')],
    ['URL users', fill('x://user:pass')],
    ['URL colons', `http://${fill('a:')}`],
    ['assignments', fill('password=')],
    ['bearer assignments', fill('token=Bearer ')],
    ['dotted names', fill('a.b-c_d')],
    ['GitHub prefix run', `ghp_${fill('a')}`],
    ['Slack parts', fill('xoxb-1')],
    ['OpenAI prefixes', fill('sk-proj-')],
    ['secret words', fill('secret key token auth ')],
  ];
  it.each(hostile)('%s', (_name, text) => {
    const started = performance.now();
    detectSecrets(text, { key: 'apiKey' });
    detectSecrets(`${text}${text}`);
    redactSecrets(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
