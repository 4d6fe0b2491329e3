/**
 * Precision heuristics shared by the secret detectors: entropy, placeholder and dummy values, and the
 * names under which a value is a secret. Every regex here is linear: no nested or adjacent overlapping
 * quantifiers, because the input comes from untrusted specs and code.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Template and reference syntax: the value names a secret kept elsewhere. */
const TEMPLATE =
  /\$\{|\{\{|\}\}|<[^<>]{0,100}>|%[A-Za-z_][A-Za-z0-9_]{0,100}%|^\$[A-Za-z_][A-Za-z0-9_]{0,100}$|^\{[^{}]{0,100}\}$|process\.env|import\.meta\.env|os\.environ|getenv|\bsecrets\.|\bvault:/;

/**
 * Words and marks of documentation placeholders. Four characters or more, so a random 40-character token
 * contains one by chance with a probability of about 1e-5 per word.
 */
export const PLACEHOLDER_WORDS =
  /example|sample|dummy|fake|placeholder|changeme|change[_-]me|your[_-]?|redacted|replace|insert|notreal|not[_-]real|lorem|xxxx|\*\*\*|•••|\.\.\.|…/i;

/** One character repeated six times: a run a random token practically never contains. */
const REPEATED_RUN = /(.)\1{5}/;

/** True for a documentation placeholder, a template or an environment reference instead of a secret. */
export function isPlaceholder(text: string): boolean {
  return TEMPLATE.test(text) || PLACEHOLDER_WORDS.test(text) || REPEATED_RUN.test(text);
}

/**
 * Values a person typed to fill a secret-named field (CodeQL's dummy-password heuristics, with leetspeak
 * folded): only applied to generic matches, never to provider formats, which are random by construction.
 */
const DUMMY_WORDS =
  /test|secret|passw|token|admin|qwerty|letmein|welcome|hunter|monkey|dragon|default|demo|sesame|1234|abcd|0000|1111|mypass|mykey/;

export function isDummyValue(text: string): boolean {
  const folded = text.toLowerCase().replace(/[@4]/g, 'a').replace(/0/g, 'o').replace(/[$5]/g, 's');
  return (
    isPlaceholder(text) ||
    DUMMY_WORDS.test(text.toLowerCase()) ||
    DUMMY_WORDS.test(folded) ||
    hasSequence(text)
  );
}

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Five characters of a keyboard row or of the alphabet, either way round (`12345`, `fedcb`, `qwert`). */
function hasSequence(text: string): boolean {
  const lower = text.toLowerCase();
  for (let i = 0; i + 5 <= lower.length; i++) {
    const slice = lower.slice(i, i + 5);
    const reversed = [...slice].reverse().join('');
    if (SEQUENCES.some((sequence) => sequence.includes(slice) || sequence.includes(reversed))) return true;
  }
  return false;
}

/** A password next to its user name (URL userinfo, Basic credentials): long enough, not a dummy or the user. */
export function isLikelyPassword(user: string, password: string): boolean {
  return password.length >= 8 && password !== user && !isDummyValue(password);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Formats that look random but are public or harmless by design: UUIDs (identifiers, and Swagger's default
 * example), Stripe test-mode and publishable keys, Twilio account SIDs, bcrypt/argon2/crypt password hashes.
 */
const KNOWN_PUBLIC = /^(?:[rsp]k_test_|pk_live_|AC[0-9a-f]{32}$|\$(?:2[abxy]?|argon2(?:id|i|d)|[156])\$)/;

export function isKnownPublicFormat(text: string): boolean {
  return UUID.test(text) || KNOWN_PUBLIC.test(text);
}

/** Lower-case words of an identifier: `X-Api-Key` → `x api key`, `clientSecretV2` → `client secret v 2`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** A word that names a secret on its own, possibly glued to others (`dbpassword`, `accesstoken`). */
const SECRET_WORD =
  /^(?:[a-z]*(?:password|passwd|secret|token)s?|passphrase|passcode|pwd|pass|credentials?|creds|auth|authorization|(?:api|auth|private|secret|access|signing|encryption|master|session|client|app)key)$/;

/** The first word of a `<word> key` pair that names a secret (`api key`, `private key`). */
const KEY_QUALIFIER = new Set([
  'api',
  'auth',
  'private',
  'secret',
  'access',
  'signing',
  'encryption',
  'master',
  'session',
  'client',
  'app',
]);

/** Words that may follow the secret word without changing what the name holds (`apiKeyValue`, `password2`). */
const NEUTRAL_TRAILER = new Set([
  'value',
  'string',
  'str',
  'plain',
  'plaintext',
  'raw',
  'encoded',
  'b64',
  'base64',
  'hex',
  'pem',
  'new',
  'old',
  'current',
  'confirm',
  'confirmation',
  'again',
  'repeat',
  'base',
]);

/**
 * Words right before the secret word that make the value something else: a digest (`hashedToken`), public
 * material, or a token that is not a credential (pagination cursors, CSRF tokens, device push tokens).
 */
const NOT_SECRET_QUALIFIER = new Set([
  'hashed',
  'hash',
  'encrypted',
  'masked',
  'redacted',
  'salted',
  'public',
  'page',
  'next',
  'prev',
  'previous',
  'continuation',
  'pagination',
  'cursor',
  'sync',
  'csrf',
  'xsrf',
  'device',
  'push',
]);

function holdsSecret(words: string[]): boolean {
  let end = words.length;
  while (end > 0 && (NEUTRAL_TRAILER.has(words[end - 1]!) || /^\d+$/.test(words[end - 1]!))) end--;
  const last = words[end - 1];
  if (last === undefined) return false;
  if (SECRET_WORD.test(last)) return !NOT_SECRET_QUALIFIER.has(words[end - 2] ?? '');
  return last === 'key' && KEY_QUALIFIER.has(words[end - 2] ?? '');
}

export interface NameClass {
  /** The name holds a secret. */
  secret: boolean;
  /** A password typed by a person rather than a generated token. */
  password: boolean;
  /** `AWS_SECRET_ACCESS_KEY`, `secretAccessKey`, `aws_secret_key`, `awsSecret`. */
  awsSecret: boolean;
}

const nameClasses = new Map<string, NameClass>();

/**
 * What a property, variable or header name says about its value. The secret word must end the name, up
 * to neutral trailers, so `passwordLabel`, `tokenType`, `secretName`, `tokenUrl`, `apiKeyHeader`,
 * `passwordPolicy`, `passwordHash`, `keyId` and `tokenExpiresAt` are not secrets. Memoised: specs repeat
 * the same few hundred names.
 */
export function classifyName(name: string): NameClass {
  let known = nameClasses.get(name);
  if (known) return known;
  const words = nameWords(name);
  const joined = words.join('');
  const secret = holdsSecret(words);
  known = {
    secret,
    password: secret && /pass|pwd/.test(joined),
    awsSecret: /secretaccesskey$|^awssecret(?:key)?$/.test(joined),
  };
  if (nameClasses.size >= 10_000) nameClasses.clear();
  nameClasses.set(name, known);
  return known;
}

export function isSecretName(name: string | undefined): boolean {
  return name !== undefined && classifyName(name).secret;
}

const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}$/;

function characterClasses(text: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(text)).length;
}

/**
 * Letters only, few capitals and a long lower-case run: words in camel case (`definitelyInvalidJWT`,
 * `ResetPasswordForm`), where a generated token of letters has about as many capitals as small letters.
 */
function isWordLike(token: string): boolean {
  if (!/^[A-Za-z]+$/.test(token)) return false;
  const capitals = token.length - token.replace(/[A-Z]/g, '').length;
  return capitals * 4 <= token.length && /[a-z]{5}/.test(token);
}

/** Minimum length and entropy of a value held by a secret-named key (see the thresholds in README.md). */
export const GENERIC_MIN_LENGTH = 12;
export const GENERIC_MAX_LENGTH = 1024;
export const GENERIC_MIN_ENTROPY = 3.5;
export const HEX_MIN_LENGTH = 16;
export const HEX_MIN_ENTROPY = 3.0;

/**
 * Whether a single token held by a secret-named key looks generated: long enough, high entropy, of two
 * character classes or more, and neither a placeholder, a dummy, a URL, a path nor a known public format.
 */
export function isHighEntropySecret(token: string): boolean {
  if (token.length < GENERIC_MIN_LENGTH || token.length > GENERIC_MAX_LENGTH) return false;
  // Generated secrets are printable ASCII; `API-Schlüssel` and `Mot-de-passe-oublié` are labels.
  if (/[^\x21-\x7e]/.test(token)) return false;
  if (/\s/.test(token) || /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\.\.?\/|~\/|arn:|[a-z]+:[a-z])/i.test(token))
    return false;
  if (EMAIL.test(token)) return false;
  if (isKnownPublicFormat(token) || isDummyValue(token) || characterClasses(token) < 2) return false;
  if (isWordLike(token)) return false;
  if (/^[0-9a-f]+$/i.test(token))
    return token.length >= HEX_MIN_LENGTH && shannonEntropy(token) >= HEX_MIN_ENTROPY;
  return shannonEntropy(token) >= GENERIC_MIN_ENTROPY;
}

/** Values that say "no key" rather than being one: `process.env.TOKEN ?? 'none'`. */
const NO_VALUE = /^(?:none|null|nil|undefined|false|true|disabled|off|n\/?a|empty|unset|todo|tbd)$/i;

/**
 * Whether a literal at a known use (a JWT signing key, a session secret, the fallback of a secret-named
 * environment variable) is a hardcoded key: anything but a placeholder, a "no value" word or public key
 * material, whatever its length and entropy. `'keyboard cat'` is the bug.
 */
export function isHardcodedKey(value: string): boolean {
  const token = value.trim();
  return (
    token.length > 0 &&
    !NO_VALUE.test(token) &&
    !isPlaceholder(token) &&
    !/^-----BEGIN (?:PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY|SSH2 PUBLIC KEY)/.test(token) &&
    !/^ssh-(?:rsa|ed25519) /.test(token)
  );
}
