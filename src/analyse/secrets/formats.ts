/**
 * Token formats recognised anywhere in a string. Patterns follow gitleaks, secretlint and trufflehog (see
 * /work/shared/reference/secrets.md), tightened for linear time: every pattern starts with a literal or
 * sits behind a look-behind that stops it from starting inside a longer run, and no quantifier is nested
 * in or next to another one over the same characters.
 */
import { Buffer } from 'node:buffer';
import { isLikelyPassword, isPlaceholder, PLACEHOLDER_WORDS, shannonEntropy } from './heuristics.ts';

export interface Candidate {
  start: number;
  end: number;
}

export interface SecretKind {
  /** Stable machine id, e.g. `stripe-live-secret-key`. */
  id: string;
  /** Human name, e.g. `Stripe live secret key`. */
  kind: string;
  /** A provider token format or a private key (high confidence) rather than a generic secret. */
  provider: boolean;
  /** What to write instead, for fix messages. */
  placeholder: string;
}

export interface FormatDetector extends SecretKind {
  /** Literals one of which every match contains: a cheap pre-filter before any regex runs. */
  triggers: readonly string[];
  /** A literal every match also contains. */
  requires?: string;
  find(text: string): Candidate[];
}

interface RegexFormat extends SecretKind {
  triggers: readonly string[];
  requires?: string;
  /** Global; a named group `secret`, when present, is the part reported and masked. */
  pattern: RegExp;
  /** The fixed part before the random body, which alone is checked for entropy and placeholders. */
  prefix?: RegExp;
  minEntropy: number;
  accept?: (match: RegExpExecArray, text: string) => boolean;
}

function regexFormat(format: RegexFormat): FormatDetector {
  const { pattern, prefix, minEntropy, accept, ...rest } = format;
  return {
    ...rest,
    find(text) {
      const found: Candidate[] = [];
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        const secret = match.indices?.groups?.secret;
        const [start, end] = secret ?? [match.index, match.index + match[0].length];
        const value = text.slice(start, end);
        const body = prefix ? value.slice(prefix.exec(value)?.[0].length ?? 0) : value;
        if (shannonEntropy(body) < minEntropy || isPlaceholder(body)) continue;
        if (accept && !accept(match, text)) continue;
        found.push({ start, end });
      }
      return found;
    },
  };
}

const ALNUM_BEFORE = '(?<![A-Za-z0-9])';
const WORD_BEFORE = '(?<![A-Za-z0-9_])';
const TOKEN_BEFORE = '(?<![A-Za-z0-9_-])';

function pattern(source: string): RegExp {
  return new RegExp(source, 'gd');
}

const PEM_HEADER = /-----BEGIN[ A-Z0-9_-]{0,64}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = '-----END';
const PEM_MAX_BODY = 16 * 1024;
const PEM_PLACEHOLDER = /\.\.\.|…|<|\{\{|\$\{|x{8}|X{8}|example|placeholder/;

/**
 * PEM private keys, written on several lines or on one line with `\n` escapes. The body runs to the next
 * `-----` (the END line, or where the key was cut) and must hold 64 base64 characters or more.
 */
const pemPrivateKey: FormatDetector = {
  id: 'private-key',
  kind: 'PEM private key',
  provider: true,
  placeholder: '<private key, loaded from a secret store>',
  triggers: ['PRIVATE KEY'],
  find(text) {
    const found: Candidate[] = [];
    PEM_HEADER.lastIndex = 0;
    for (let header = PEM_HEADER.exec(text); header; header = PEM_HEADER.exec(text)) {
      const bodyStart = header.index + header[0].length;
      // Stops at the next header too, so each character is read once however many headers there are.
      const dashes = text.indexOf('-----', bodyStart);
      const bodyEnd =
        dashes === -1 || dashes - bodyStart > PEM_MAX_BODY
          ? Math.min(text.length, bodyStart + PEM_MAX_BODY)
          : dashes;
      const body = text.slice(bodyStart, bodyEnd).replace(/\\[nrt]/g, '');
      const base64 = body.replace(/[^A-Za-z0-9+/=]/g, '');
      if (base64.length < 64 || PEM_PLACEHOLDER.test(body) || shannonEntropy(base64) < 4) continue;
      let end = bodyEnd;
      if (text.startsWith(PEM_END, bodyEnd)) {
        const close = text.indexOf('-----', bodyEnd + PEM_END.length);
        end = close !== -1 && close - bodyEnd <= 80 ? close + 5 : bodyEnd + PEM_END.length;
      }
      found.push({ start: header.index, end });
      PEM_HEADER.lastIndex = end;
    }
    return found;
  },
};

function decodeJsonPart(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The token jwt.io shows, copied into countless docs: `{"sub":"1234567890","name":"John Doe",…}`. */
const SAMPLE_JWT_PAYLOAD = /John Doe|"sub":\s*"1234567890"/;

/** A signed JWT whose header decodes to JSON with an `alg`; unsigned (`alg: none`) and sample tokens are not. */
function isSignedJwt(match: RegExpExecArray): boolean {
  const [header = '', payload = '', signature = ''] = match[0].split('.');
  if (header.length > 2048 || signature.length < 16 || shannonEntropy(signature) < 3) return false;
  const decoded = decodeJsonPart(header);
  if (typeof decoded !== 'object' || decoded === null) return false;
  const alg = (decoded as Record<string, unknown>).alg;
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') return false;
  const claims = Buffer.from(payload.slice(0, 16 * 1024), 'base64url').toString('utf8');
  return !SAMPLE_JWT_PAYLOAD.test(claims) && !PLACEHOLDER_WORDS.test(claims);
}

/** Hosts reserved for documentation and tests (RFC 2606, RFC 6761) or local: credentials on them are examples. */
const DOCUMENTATION_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;

function isRealUrlPassword(match: RegExpExecArray, text: string): boolean {
  if (!isLikelyPassword(match.groups?.user ?? '', match.groups?.secret ?? '')) return false;
  const hostStart = match.index + match[0].length;
  const host = /^[A-Za-z0-9.-]{0,253}/.exec(text.slice(hostStart, hostStart + 253))?.[0] ?? '';
  return !DOCUMENTATION_HOST.test(host);
}

/** Provider formats first: when two detectors match overlapping text, the earlier one wins. */
export const FORMAT_DETECTORS: readonly FormatDetector[] = [
  pemPrivateKey,
  regexFormat({
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    provider: true,
    placeholder: 'AKIA...',
    triggers: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    pattern: pattern(`${ALNUM_BEFORE}(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])`),
    minEntropy: 3,
  }),
  ...(
    [
      ['ghp', 'GitHub personal access token'],
      ['gho', 'GitHub OAuth access token'],
      ['ghu', 'GitHub user-to-server token'],
      ['ghs', 'GitHub server-to-server token'],
      ['ghr', 'GitHub refresh token'],
    ] as const
  ).map(([prefix, kind]) =>
    regexFormat({
      id: `github-${prefix}-token`,
      kind,
      provider: true,
      placeholder: `${prefix}_...`,
      triggers: [`${prefix}_`],
      pattern: pattern(`${WORD_BEFORE}${prefix}_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])`),
      prefix: /^gh._/,
      minEntropy: 3,
    }),
  ),
  regexFormat({
    id: 'github-fine-grained-token',
    kind: 'GitHub fine-grained personal access token',
    provider: true,
    placeholder: 'github_pat_...',
    triggers: ['github_pat_'],
    pattern: pattern(`${WORD_BEFORE}github_pat_[A-Za-z0-9_]{60,255}`),
    prefix: /^github_pat_/,
    minEntropy: 3,
  }),
  ...(
    [
      ['glpat', 'GitLab personal access token'],
      ['gldt', 'GitLab deploy token'],
      ['glrt', 'GitLab runner token'],
      ['glptt', 'GitLab pipeline trigger token'],
    ] as const
  ).map(([prefix, kind]) =>
    regexFormat({
      id: `gitlab-${prefix}-token`,
      kind,
      provider: true,
      placeholder: `${prefix}-...`,
      triggers: [`${prefix}-`],
      pattern: pattern(`${TOKEN_BEFORE}${prefix}-[A-Za-z0-9_-]{20,100}`),
      prefix: /^[a-z]+-/,
      minEntropy: 3,
    }),
  ),
  regexFormat({
    id: 'slack-token',
    kind: 'Slack token',
    provider: true,
    placeholder: 'xoxb-...',
    triggers: ['xox', 'xapp-'],
    pattern: pattern(`${TOKEN_BEFORE}(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,250}`),
    prefix: /^[a-z]+-/,
    minEntropy: 3,
    // Real tokens have three dash-separated parts or more after the prefix, the last one long.
    accept: (match) => {
      const parts = match[0].split('-').slice(1);
      return parts.length >= 3 && (parts.at(-1)?.length ?? 0) >= 8;
    },
  }),
  regexFormat({
    id: 'slack-webhook',
    kind: 'Slack webhook URL',
    provider: true,
    placeholder: 'https://hooks.slack.com/services/...',
    triggers: ['hooks.slack.com'],
    pattern: pattern(
      String.raw`(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,250}`,
    ),
    prefix: /^.*\//,
    minEntropy: 3.5,
  }),
  regexFormat({
    id: 'stripe-live-secret-key',
    kind: 'Stripe live secret key',
    provider: true,
    placeholder: 'sk_live_...',
    triggers: ['sk_live_'],
    pattern: pattern(`${WORD_BEFORE}sk_live_[A-Za-z0-9]{20,247}`),
    prefix: /^sk_live_/,
    minEntropy: 3,
  }),
  regexFormat({
    id: 'stripe-live-restricted-key',
    kind: 'Stripe live restricted key',
    provider: true,
    placeholder: 'rk_live_...',
    triggers: ['rk_live_'],
    pattern: pattern(`${WORD_BEFORE}rk_live_[A-Za-z0-9]{20,247}`),
    prefix: /^rk_live_/,
    minEntropy: 3,
  }),
  regexFormat({
    id: 'google-api-key',
    kind: 'Google API key',
    provider: true,
    placeholder: 'AIza...',
    triggers: ['AIza'],
    pattern: pattern(`${TOKEN_BEFORE}AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])`),
    prefix: /^AIza/,
    minEntropy: 3.5,
  }),
  regexFormat({
    id: 'anthropic-api-key',
    kind: 'Anthropic API key',
    provider: true,
    placeholder: 'sk-ant-...',
    triggers: ['sk-ant-'],
    pattern: pattern(`${TOKEN_BEFORE}sk-ant-[a-z]{2,10}[0-9]{2}-[A-Za-z0-9_-]{32,250}`),
    prefix: /^sk-ant-[a-z0-9]+-/,
    minEntropy: 3.5,
  }),
  regexFormat({
    id: 'openai-api-key',
    kind: 'OpenAI API key',
    provider: true,
    placeholder: 'sk-proj-...',
    triggers: ['sk-'],
    // Project, service-account and admin keys by prefix; legacy user keys by their `T3BlbkFJ` marker.
    pattern: pattern(
      `${TOKEN_BEFORE}sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9]))`,
    ),
    prefix: /^sk-(?:proj-|svcacct-|admin-)?/,
    minEntropy: 3.5,
  }),
  regexFormat({
    id: 'npm-token',
    kind: 'npm access token',
    provider: true,
    placeholder: 'npm_...',
    triggers: ['npm_'],
    pattern: pattern(`${WORD_BEFORE}npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])`),
    prefix: /^npm_/,
    minEntropy: 3,
  }),
  regexFormat({
    id: 'sendgrid-api-key',
    kind: 'SendGrid API key',
    provider: true,
    placeholder: 'SG.xxx.yyy',
    triggers: ['SG.'],
    pattern: pattern(`${TOKEN_BEFORE}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`),
    prefix: /^SG\./,
    minEntropy: 3.5,
  }),
  regexFormat({
    id: 'twilio-api-key',
    kind: 'Twilio API key',
    provider: true,
    placeholder: 'SK...',
    triggers: ['SK'],
    pattern: pattern(`${ALNUM_BEFORE}SK[0-9a-f]{32}(?![A-Za-z0-9])`),
    prefix: /^SK/,
    minEntropy: 3,
  }),
  regexFormat({
    id: 'jwt',
    kind: 'JSON Web Token',
    provider: false,
    placeholder: '<access token>',
    triggers: ['eyJ'],
    requires: '.',
    pattern: pattern(String.raw`(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`),
    minEntropy: 0,
    accept: isSignedJwt,
  }),
  regexFormat({
    id: 'url-password',
    kind: 'password in a URL',
    provider: false,
    placeholder: 'https://api.example.com',
    triggers: ['://'],
    requires: '@',
    // Starts at `://` (a scheme character before it), so the search runs from that literal only.
    pattern: pattern(
      String.raw`(?<=[A-Za-z0-9+.-])://(?<user>[^\s:/?#@"'<>]{0,128}):(?<secret>[^\s/?#@"'<>]{1,256})@(?=[A-Za-z0-9[])`,
    ),
    minEntropy: 0,
    accept: isRealUrlPassword,
  }),
];
