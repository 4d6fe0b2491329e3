/**
 * Well-formed but fake secrets, generated at test time so no realistic key is ever committed (GitHub push
 * protection blocks those). A seeded generator makes every value reproducible: the same kind and variant
 * always give the same string.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const BASE32 = `${UPPER}234567`;
const BASE64 = `${ALNUM}+/`;
const BASE64URL = `${ALNUM}_-`;

/** mulberry32, seeded from the kind and variant with FNV-1a. */
function generator(seedText: string): () => number {
  let seed = 0x811c9dc5;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Chars = (alphabet: string, length: number) => string;

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/**
 * Twelve lines of base64 after the DER or OpenSSH magic a real key starts with (`MII…`, `b3BlbnNzaC1rZXktdjE`):
 * scanners that check it (secretlint) treat the value as a key, like a real one.
 */
function pemBody(chars: Chars, newline: string, magic: string): string {
  const body = magic + chars(BASE64, 12 * 64 - magic.length);
  return Array.from({ length: 12 }, (_, line) => body.slice(line * 64, (line + 1) * 64)).join(newline);
}

const PKCS1_RSA = 'MIIEowIBAAKCAQEA';
const PKCS8 = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ';
const OPENSSH = 'b3BlbnNzaC1rZXktdjEAAAAA';

/** Each kind: the public prefix a message may show, and the generated value. */
const KINDS = {
  'aws-access-key-id': (c: Chars) => ['AKIA', 'AKIA' + c(BASE32, 16)],
  'aws-secret-access-key': (c: Chars) => ['', c(BASE64, 40)],
  'github-pat': (c: Chars) => ['ghp_', 'gh' + 'p_' + c(ALNUM, 36)],
  'github-oauth': (c: Chars) => ['gho_', 'gh' + 'o_' + c(ALNUM, 36)],
  'github-user': (c: Chars) => ['ghu_', 'gh' + 'u_' + c(ALNUM, 36)],
  'github-server': (c: Chars) => ['ghs_', 'gh' + 's_' + c(ALNUM, 36)],
  'github-refresh': (c: Chars) => ['ghr_', 'gh' + 'r_' + c(ALNUM, 36)],
  'github-fine-grained': (c: Chars) => [
    'github_pat_',
    'github' + '_pat_' + c(ALNUM, 22) + '_' + c(ALNUM, 59),
  ],
  'gitlab-pat': (c: Chars) => ['glpat-', 'gl' + 'pat-' + c(ALNUM, 20)],
  'slack-bot': (c: Chars) => [
    'xoxb-',
    'xo' + 'xb-' + c(DIGITS, 11) + '-' + c(DIGITS, 12) + '-' + c(ALNUM, 24),
  ],
  'slack-user': (c: Chars) => [
    'xoxp-',
    'xo' + 'xp-' + c(DIGITS, 11) + '-' + c(DIGITS, 12) + '-' + c(DIGITS, 13) + '-' + c(HEX, 32),
  ],
  'slack-webhook': (c: Chars) => [
    'https://hooks.slack.com/services/',
    'https://hooks.slack.com/' +
      'services/T' +
      c(UPPER + DIGITS, 8) +
      '/B' +
      c(UPPER + DIGITS, 10) +
      '/' +
      c(ALNUM, 24),
  ],
  'stripe-live': (c: Chars) => ['sk_live_', 'sk_' + 'live_' + c(ALNUM, 24)],
  'stripe-restricted': (c: Chars) => ['rk_live_', 'rk_' + 'live_' + c(ALNUM, 24)],
  'stripe-test': (c: Chars) => ['sk_test_', 'sk_' + 'test_' + c(ALNUM, 24)],
  'stripe-publishable': (c: Chars) => ['pk_live_', 'pk_' + 'live_' + c(ALNUM, 24)],
  'google-api-key': (c: Chars) => ['AIza', 'AI' + 'za' + c(BASE64URL, 35)],
  /** Project keys carry the `T3BlbkFJ` marker (base64 of "OpenAI") like legacy ones. */
  openai: (c: Chars) => ['sk-proj-', 'sk-' + 'proj-' + c(BASE64URL, 58) + 'T3Blbk' + 'FJ' + c(BASE64URL, 58)],
  'openai-legacy': (c: Chars) => ['sk-', 'sk-' + c(ALNUM, 20) + 'T3Blbk' + 'FJ' + c(ALNUM, 20)],
  anthropic: (c: Chars) => ['sk-ant-api03-', 'sk-' + 'ant-api03-' + c(BASE64URL, 93) + 'AA'],
  npm: (c: Chars) => ['npm_', 'np' + 'm_' + c(ALNUM, 36)],
  sendgrid: (c: Chars) => ['SG.', 'S' + 'G.' + c(BASE64URL, 22) + '.' + c(BASE64URL, 43)],
  'twilio-api-key': (c: Chars) => ['SK', 'S' + 'K' + c(HEX, 32)],
  'twilio-account-sid': (c: Chars) => ['AC', 'A' + 'C' + c(HEX, 32)],
  'pem-rsa': (c: Chars) => [
    '-----BEGIN RSA PRIVATE KEY-----\n',
    '-----BEGIN RSA ' +
      'PRIVATE KEY-----\n' +
      pemBody(c, '\n', PKCS1_RSA) +
      '\n-----END RSA PRIVATE KEY-----\n',
  ],
  /** One line with literal `\n` escapes, as in `.env` files and JSON strings written by hand. */
  'pem-escaped': (c: Chars) => [
    '-----BEGIN PRIVATE KEY-----\\n',
    '-----BEGIN ' + 'PRIVATE KEY-----\\n' + pemBody(c, '\\n', PKCS8) + '\\n-----END PRIVATE KEY-----\\n',
  ],
  /** One string with `\r\n` escapes, as OWASP Juice Shop writes its RSA key in lib/insecurity.ts. */
  'pem-crlf-escaped': (c: Chars) => [
    '-----BEGIN RSA PRIVATE KEY-----\\r\\n',
    '-----BEGIN RSA ' +
      'PRIVATE KEY-----\\r\\n' +
      pemBody(c, '\\r\\n', PKCS1_RSA) +
      '\\r\\n-----END RSA PRIVATE KEY-----',
  ],
  'pem-openssh': (c: Chars) => [
    '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    '-----BEGIN OPENSSH ' +
      'PRIVATE KEY-----\n' +
      pemBody(c, '\n', OPENSSH) +
      '\n-----END OPENSSH PRIVATE KEY-----',
  ],
  jwt: (c: Chars) => [
    '',
    [
      base64url('{"alg":"HS256","typ":"JWT"}'),
      base64url(`{"sub":"${c(ALNUM, 12)}","iat":1700000000,"scope":"admin"}`),
      c(BASE64URL, 43),
    ].join('.'),
  ],
  /** A password as generators make them: letters, digits and URL-safe symbols, of each at least one. */
  password: (c: Chars) => ['', c(`${ALNUM}!*_~`, 16) + c(DIGITS, 1) + c('!*_~', 1)],
  'generic-token': (c: Chars) => ['', c(ALNUM, 32)],
  'generic-hex': (c: Chars) => ['', c(HEX, 40)],
} satisfies Record<string, (chars: Chars) => [string, string]>;

export type FakeSecretKind = keyof typeof KINDS;

export const FAKE_SECRET_KINDS = Object.keys(KINDS) as FakeSecretKind[];

export function isFakeSecretKind(kind: string): kind is FakeSecretKind {
  return Object.hasOwn(KINDS, kind);
}

/** The generated value and the public prefix of its format (which a fix message may quote). */
export function fakeSecretParts(kind: FakeSecretKind, variant = 0): { prefix: string; value: string } {
  const random = generator(`${kind}:${variant}`);
  const chars: Chars = (alphabet, length) =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const [prefix, value] = KINDS[kind](chars);
  return { prefix, value };
}

export function fakeSecret(kind: FakeSecretKind, variant = 0): string {
  return fakeSecretParts(kind, variant).value;
}

/** Every 8-character slice of a secret outside its public prefix: none may appear in any output. */
export function secretSlices(value: string, prefix = ''): string[] {
  const slices: string[] = [];
  for (let i = 0; i + 8 <= value.length; i++) {
    if (i + 8 <= prefix.length) continue;
    slices.push(value.slice(i, i + 8));
  }
  return slices;
}

/** `{{fake:stripe-live}}` or `{{fake:stripe-live:2}}` (a second, different value of the same kind). */
export const FAKE_TOKEN = /\{\{fake:([a-z0-9-]+)(?::(\d+))?\}\}/g;

/** Replaces the fake-secret tokens of a fixture; returns the text and what was generated. */
export function substituteFakeSecrets(text: string): {
  text: string;
  secrets: { prefix: string; value: string }[];
} {
  const secrets: { prefix: string; value: string }[] = [];
  const replaced = text.replace(FAKE_TOKEN, (_token, kind: string, variant?: string) => {
    if (!isFakeSecretKind(kind)) throw new Error(`Unknown fake secret kind "${kind}" in a fixture`);
    const parts = fakeSecretParts(kind, Number(variant ?? 0));
    secrets.push(parts);
    return parts.value;
  });
  return { text: replaced, secrets };
}
