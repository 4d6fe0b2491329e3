/**
 * Hardcoded-secret detection shared by apiguard's engines (OpenAPI examples, TypeScript/JavaScript
 * literals, configuration files). Findings carry a masked preview and a hash, never the value. Decisions
 * and thresholds: README.md in this folder.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { type Candidate, FORMAT_DETECTORS, type SecretKind } from './formats.ts';
import {
  classifyName,
  GENERIC_MIN_LENGTH,
  isHardcodedKey,
  isHighEntropySecret,
  isLikelyPassword,
  isPlaceholder,
  shannonEntropy,
} from './heuristics.ts';

export type { SecretKind } from './formats.ts';
export { isSecretName } from './heuristics.ts';

/**
 * What code does with a value, known from where it is passed: a literal there is a hardcoded key whatever
 * its entropy (`jwt.sign(payload, 'kekse')`). `fallback`: the value replaces a missing secret-named
 * environment variable (`process.env.JWT_SECRET || 'secret123'`), named by `key`.
 */
export type SecretUse =
  | 'jwt-secret'
  | 'session-secret'
  | 'cookie-secret'
  | 'hmac-key'
  | 'encryption-key'
  | 'fallback';

export interface SecretContext {
  /** The property, variable, header or parameter name the value is assigned to. */
  key?: string;
  /** The value is used as a key or secret (see {@link SecretUse}). */
  use?: SecretUse;
}

export interface SecretMatch extends SecretKind {
  /** Offsets of the secret in the scanned value (end exclusive). */
  start: number;
  end: number;
  /** SHA-256 (hex) of the secret: a fingerprint that does not reveal it. */
  hash: string;
  /** At most the first four characters (a quarter for short secrets) and the length: `sk_l…, 32 chars`. */
  redacted: string;
}

/** Longer values are scanned up to this length only: the input is untrusted. */
export const MAX_SCAN_LENGTH = 64 * 1024;

/** More matches than this in one value are not reported (a generated or hostile blob). */
const MAX_MATCHES = 100;

const AWS_SECRET_ACCESS_KEY: SecretKind = {
  id: 'aws-secret-access-key',
  kind: 'AWS secret access key',
  provider: true,
  placeholder: '<AWS secret access key>',
};
const GENERIC_PASSWORD: SecretKind = {
  id: 'generic-password',
  kind: 'hardcoded password',
  provider: false,
  placeholder: '<password>',
};
const GENERIC_SECRET: SecretKind = {
  id: 'generic-secret',
  kind: 'hardcoded secret',
  provider: false,
  placeholder: '<secret>',
};

function useKind(id: string, kind: string, placeholder: string): SecretKind {
  return { id, kind, provider: false, placeholder };
}

/** Literals at a known use are named after it: `HMAC key` says more than `hardcoded secret`. */
const USE_KINDS: Record<Exclude<SecretUse, 'fallback'>, SecretKind> = {
  'jwt-secret': useKind('jwt-secret', 'JWT signing secret', '<JWT secret>'),
  'session-secret': useKind('session-secret', 'session secret', '<session secret>'),
  'cookie-secret': useKind('cookie-secret', 'cookie signing secret', '<cookie secret>'),
  'hmac-key': useKind('hmac-key', 'HMAC key', '<HMAC key>'),
  'encryption-key': useKind('encryption-key', 'encryption key', '<encryption key>'),
};

/** Every kind of secret the detector reports. */
export const SECRET_KINDS: readonly SecretKind[] = [
  ...FORMAT_DETECTORS.map(({ id, kind, provider, placeholder }) => ({ id, kind, provider, placeholder })),
  AWS_SECRET_ACCESS_KEY,
  GENERIC_PASSWORD,
  GENERIC_SECRET,
  ...Object.values(USE_KINDS),
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A secret-like word soon followed by `=` or `:` (in the usual cases): texts worth the assignment pattern. */
const ASSIGNMENT_HINT =
  '(?:[Pp]ass|PASS|[Pp]wd|PWD|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Kk]ey|KEY|[Aa]uth|AUTH|[Cc]red|CRED)[A-Za-z0-9_.-]{0,40}["\']?[ \t]{0,8}[:=]';

/** Every format's literals, longest first, and for each the shorter ones it contains (`sk-ant-` holds `sk-`). */
const TRIGGERS = [...new Set(FORMAT_DETECTORS.flatMap((detector) => detector.triggers))].sort(
  (a, b) => b.length - a.length,
);
const TRIGGER_SCAN = new RegExp(TRIGGERS.map(escapeRegExp).join('|'), 'g');
const CONTAINED_TRIGGERS = new Map(
  TRIGGERS.map((trigger) => [trigger, TRIGGERS.filter((other) => trigger.includes(other))]),
);

/**
 * The format literals a text contains, in one pass (instead of one search per literal): most texts hold
 * none, and then no format pattern runs.
 */
function presentTriggers(text: string): Set<string> {
  const present = new Set<string>();
  TRIGGER_SCAN.lastIndex = 0;
  for (let match = TRIGGER_SCAN.exec(text); match; match = TRIGGER_SCAN.exec(text)) {
    for (const trigger of CONTAINED_TRIGGERS.get(match[0])!) present.add(trigger);
    if (present.size === TRIGGERS.length) break;
    // Overlapping literals (`xASK`…) are each seen: the next search starts one character on.
    TRIGGER_SCAN.lastIndex = match.index + 1;
  }
  return present;
}

const ASSIGNMENT_CHECK = new RegExp(ASSIGNMENT_HINT);

/** `name = value`, `"name": "value"`, `name: Bearer value`, `?name=value` inside a longer text. */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])([A-Za-z][A-Za-z0-9_.-]{0,63})["']?[ \t]{0,8}(?:=>|=|:)[ \t]{0,8}["'`]?((?:(?:Bearer|Basic|Token|bearer|basic|token)[ \t]{1,4})?[^\s"'`,;&<>(){}[\]]{12,1024})/dg;

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot)[ \t]{1,4}/i;

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A code identifier or a word (`someFunctionResult`, `config.apiKey`), not a literal secret. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z_$.]*$/;

interface Found extends Candidate {
  kind: SecretKind;
}

/** A value held by a secret-named key: the whole token, after an optional `Bearer ` scheme. */
function valueUnderName(text: string, start: number, end: number, name: string): Found | undefined {
  const names = classifyName(name);
  if ((!names.secret && !names.awsSecret) || end - start < GENERIC_MIN_LENGTH) return undefined;
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  const scheme = AUTH_SCHEME.exec(text.slice(from, Math.min(to, from + 16)))?.[0] ?? '';
  from += scheme.length;
  const token = text.slice(from, to);
  if (
    names.awsSecret &&
    /^[A-Za-z0-9/+]{40}$/.test(token) &&
    shannonEntropy(token) >= 4 &&
    !isPlaceholder(token)
  ) {
    return { kind: AWS_SECRET_ACCESS_KEY, start: from, end: to };
  }
  // A JWT is judged by its own format, which knows unsigned and sample tokens.
  if (!names.secret || JWT_SHAPE.test(token) || !isHighEntropySecret(token)) return undefined;
  if (/^basic/i.test(scheme) && !isBasicCredential(token)) return undefined;
  return { kind: names.password ? GENERIC_PASSWORD : GENERIC_SECRET, start: from, end: to };
}

/** `Basic <base64 of user:password>` holds a real-looking password (not RFC 7617's `Aladdin:open sesame`). */
function isBasicCredential(token: string): boolean {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon !== -1 && isLikelyPassword(decoded.slice(0, colon), decoded.slice(colon + 1));
}

const NONE: readonly Found[] = Object.freeze([]);

/**
 * `formatsOnly`: provider formats, JWTs and URL passwords, not the values of secret-named assignments in
 * the text (for a plain pass over a file whose structure was read separately).
 */
function findAll(
  text: string,
  key: string | undefined,
  limit = MAX_MATCHES,
  formatsOnly = false,
): readonly Found[] {
  if (text.length < 8) return NONE;
  let found: Found[] | undefined;
  if (key !== undefined) {
    const whole = valueUnderName(text, 0, text.length, key);
    if (whole) found = [whole];
  }
  const present = presentTriggers(text);
  const assignments = !formatsOnly && ASSIGNMENT_CHECK.test(text);
  if (present.size === 0 && !assignments) return found ?? NONE;
  // Formats first: on overlaps the earlier match wins.
  const formats: Found[] = [];
  for (const detector of FORMAT_DETECTORS) {
    if (!detector.triggers.some((trigger) => present.has(trigger))) continue;
    if (detector.requires && !text.includes(detector.requires)) continue;
    for (const candidate of detector.find(text)) formats.push({ ...candidate, kind: detector });
  }
  found = found ? [...formats, ...found] : formats;
  if (assignments) {
    ASSIGNMENT.lastIndex = 0;
    for (let match = ASSIGNMENT.exec(text); match; match = ASSIGNMENT.exec(text)) {
      const [start, end] = match.indices![2]!;
      if (IDENTIFIER.test(match[2]!)) continue;
      const assigned = valueUnderName(text, start, end, match[1]!);
      if (assigned) found.push(assigned);
    }
  }
  return found.length > 0 ? withoutOverlaps(found, limit) : NONE;
}

/** Keeps the first of overlapping matches: formats come before names, the stronger format first. */
function withoutOverlaps(found: Found[], limit: number): Found[] {
  const kept: Found[] = [];
  for (const candidate of found) {
    if (kept.length >= limit) break;
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** `sk_l…, 32 chars`: at most four characters, and at most a quarter of a short secret. */
function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…, ${secret.length} chars`;
}

function toMatch(text: string, found: Found): SecretMatch {
  const secret = text.slice(found.start, found.end);
  const { id, kind, provider, placeholder } = found.kind;
  return {
    id,
    kind,
    provider,
    placeholder,
    start: found.start,
    end: found.end,
    hash: createHash('sha256').update(secret).digest('hex'),
    redacted: redact(secret),
  };
}

/**
 * The secrets in a value: provider token formats and private keys anywhere in it, and, when `context.key`
 * names a secret (`apiKey`, `password`, `clientSecret`; not `passwordLabel`, `tokenType`), a high-entropy
 * value. `name: value` assignments inside the text are read the same way. Only the first
 * {@link MAX_SCAN_LENGTH} characters are scanned.
 */
export function detectSecrets(value: string, context: SecretContext = {}): SecretMatch[] {
  const text = value.length > MAX_SCAN_LENGTH ? value.slice(0, MAX_SCAN_LENGTH) : value;
  const { key, use } = context;
  // At a known use the use names the secret, unless a provider format says more.
  const found = findAll(text, use && use !== 'fallback' ? undefined : key);
  if (found.length > 0 || !use || !isHardcodedKey(text)) return found.map((item) => toMatch(text, item));
  const kind =
    use !== 'fallback'
      ? USE_KINDS[use]
      : key !== undefined && classifyName(key).password
        ? GENERIC_PASSWORD
        : GENERIC_SECRET;
  const start = text.length - text.trimStart().length;
  return [toMatch(text, { kind, start, end: text.trimEnd().length })];
}

/**
 * A whole value reported as a secret of a known kind, when the place alone says what it is (a UUID under
 * `_authToken` in `.npmrc` is a legacy npm token).
 */
export function wholeValueMatch(value: string, id: string): SecretMatch {
  const kind = SECRET_KINDS.find((known) => known.id === id);
  if (!kind) throw new Error(`Unknown secret kind ${id}`);
  return toMatch(value, { kind, start: 0, end: value.length });
}

/**
 * The secrets in a whole file or output text, however long: scanned in overlapping windows so a secret
 * across a window boundary is seen whole in one of them. `providerOnly`: provider formats and private keys
 * alone (for text read without structure, such as code comments).
 */
export function detectSecretsInText(
  text: string,
  options: { providerOnly?: boolean; limit?: number } = {},
): SecretMatch[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const matches: SecretMatch[] = [];
  for (const found of findInWindows(text, options.providerOnly)) {
    if (matches.length >= limit) break;
    if (!options.providerOnly || found.kind.provider) matches.push(toMatch(text, found));
  }
  return matches;
}

function findInWindows(text: string, formatsOnly = false): Found[] {
  const ranges: Found[] = [];
  const step = MAX_SCAN_LENGTH / 2;
  for (let offset = 0; offset === 0 || offset + step < text.length; offset += step) {
    const window = text.slice(offset, offset + MAX_SCAN_LENGTH);
    for (const found of findAll(window, undefined, Number.POSITIVE_INFINITY, formatsOnly)) {
      ranges.push({ ...found, start: offset + found.start, end: offset + found.end });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  // Windows overlap: a secret seen in two of them is kept once, overlapping matches as one range.
  const kept: Found[] = [];
  for (const range of ranges) {
    const last = kept.at(-1);
    if (last && range.start < last.end) last.end = Math.max(last.end, range.end);
    else kept.push(range);
  }
  return kept;
}

/** `Stripe live secret key (sk_l…, 32 chars)`. */
export function describeSecret(match: Pick<SecretMatch, 'kind' | 'redacted'>): string {
  return `${match.kind} (${match.redacted})`;
}

/**
 * Masks every detectable secret in a text bound for an output channel (messages, logs, summaries), however
 * long and however many: the last line of defence, so nothing is left unscanned.
 */
export function redactSecrets(text: string): string {
  let result = '';
  let position = 0;
  for (const range of findInWindows(text)) {
    result += `${text.slice(position, range.start)}[redacted ${range.kind.kind}]`;
    position = range.end;
  }
  return position === 0 ? text : result + text.slice(position);
}
