import type { Severity } from '../../findings/finding.ts';
import type { RuleMeta, SpecFormat } from '../../findings/rule.ts';
import type { ConfigFileKind } from './files.ts';
import type { FoundSecret } from './found.ts';

/**
 * The one `hardcoded-secret` rule, whichever engine reports it: the OpenAPI rule (examples, defaults,
 * extensions, server URLs) and the code and configuration-file scan share this metadata, so
 * `apiguard rules`, SARIF and the docs describe one rule.
 */
export const HARDCODED_SECRET: RuleMeta & { formats: SpecFormat[] } = {
  id: 'hardcoded-secret',
  engine: ['openapi', 'code'],
  severity: 'error',
  title:
    'A real-looking secret (API key, token, private key, password) is written into source code, a ' +
    'configuration file, or an OpenAPI example, default, extension, description or server URL.',
  rationale:
    'Whatever is committed is read by everyone with access to the repository, its forks and its history, ' +
    'and specs are published into portals and SDKs. apiguard reads TypeScript and JavaScript string ' +
    'literals after decoding escapes, with the name they are given and what the code does with them (JWT ' +
    "signing, session and cookie secrets, HMAC and cipher keys, the fallback in `process.env.X || 'literal'`" +
    '), committed `.env*`, `.npmrc`, YAML, JSON, TOML and `docker-compose` files, `*.pem`/`*.key` files, ' +
    'and the examples, defaults, extensions and server URLs of OpenAPI documents. Provider formats (AWS, ' +
    'GitHub, GitLab, Slack, Stripe, Google, OpenAI, Anthropic, npm, SendGrid, Twilio) and private keys are ' +
    'errors; high-entropy values under secret-like names (`apiKey`, `clientSecret`, not `passwordLabel` ' +
    'or `tokenType`), literal keys where code uses a key, JWTs and passwords in URLs are warnings; in test ' +
    'paths (`test/`, `__tests__/`, `*.spec.*`, `fixtures/`…) findings are info. Placeholders, environment ' +
    'lookups, AWS documentation keys, Stripe test keys, public keys, certificates, UUIDs and hashes are not ' +
    'reported. Messages show the kind of secret, at most its first four characters and its length; ' +
    'fingerprints use a hash, never the value.',
  fix:
    'Load the secret at run time from an environment variable or a secret store, without a literal ' +
    'fallback (fail at start-up when it is missing); keep committed examples obvious placeholders ' +
    `(\`.env.example\`, \`<token>\`, \`\${NPM_TOKEN}\`); and rotate the secret: once committed it must be treated ` +
    'as exposed, even after the commit is removed.',
  cwe: ['CWE-798'],
  owasp: ['API2:2023', 'API8:2023'],
  category: 'secrets',
  formats: ['oas2', 'oas3.0', 'oas3.1'],
  covers: [],
  examples: {
    language: 'ts',
    vulnerable:
      "app.use(cookieParser('kekse'));\n" +
      "const token = jwt.sign(payload, process.env.JWT_SECRET || 'dev-secret');\n",
    safe:
      'const jwtSecret = process.env.JWT_SECRET;\n' +
      "if (!jwtSecret) throw new Error('JWT_SECRET is not set');\n" +
      'app.use(cookieParser(process.env.COOKIE_SECRET));\n' +
      'const token = jwt.sign(payload, jwtSecret);\n',
  },
};

/** Where a secret was found: source code, or a configuration or key file of some kind. */
export type SecretPlace = 'code' | ConfigFileKind;

/** Test code and fixtures: a secret there is usually a fake, and reported as info. */
const TEST_PATH =
  /(?:^|\/)(?:test|tests|__tests__|__mocks__|fixtures|__fixtures__)\/|(?:^|\/)[^/]+\.(?:test|spec)\.[^/]+$/i;

export function isTestPath(workspacePath: string): boolean {
  return TEST_PATH.test(workspacePath);
}

export function secretSeverity(found: FoundSecret, workspacePath: string): Severity {
  if (isTestPath(workspacePath)) return 'info';
  return found.match.provider ? 'error' : 'warning';
}

const FIX: Record<SecretPlace, string> = {
  code: 'Load it from an environment variable or a secret store',
  env: 'Keep .env files out of the repository (commit a .env.example with placeholders, list .env in .gitignore)',
  npmrc: `Write \`_authToken=\${NPM_TOKEN}\` and set NPM_TOKEN in the CI secrets`,
  toml: 'Reference an environment variable or a secret store instead',
  yaml: `Reference an environment variable or a secret store instead (\`\${DB_PASSWORD}\`, \`\${{ secrets.X }}\`)`,
  json: 'Reference an environment variable or a secret store instead',
  key: 'Remove the key file from the repository and load the key from a secret store at run time',
};

/** `Hardcoded secret`, `HMAC key`; brands written in lower case stay so (`npm access token`). */
function capitalized(kind: string): string {
  return /^npm\b/.test(kind) ? kind : kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** `Stripe live secret key (sk_l…, 32 chars) assigned to "stripeKey". Load it from… and rotate it…` */
export function secretMessage(found: FoundSecret, place: SecretPlace): string {
  const { match, where } = found;
  const what = `${capitalized(match.kind)} (${match.redacted}) ${where ?? (place === 'code' ? 'hardcoded in the source' : 'committed in this file')}`;
  if (match.id === 'url-password')
    return (
      `${what}. Take the credentials from the environment or a secret store, and change the password: ` +
      'once committed it must be treated as exposed.'
    );
  const fix = where?.includes('used when ')
    ? 'Remove the fallback so that a missing variable stops the service at start-up'
    : FIX[place];
  return `${what}. ${fix}, and rotate it: once committed it must be treated as exposed.`;
}
