import type { FailOn, Severity } from '../findings/finding.ts';

export type RuleSetting = Severity | 'off';

export interface Config {
  include: string[];
  exclude: string[];
  failOn: FailOn;
  rules: Record<string, RuleSetting>;
  overrides: { files: string[]; rules: Record<string, RuleSetting> }[];
  /** A Spectral ruleset of the user's (`.spectral.yaml`), run beside apiguard's rules. */
  spectralRuleset?: string;
  /** JavaScript rulesets and custom functions run repository code: only when this is true. */
  allowCustomFunctions: boolean;
  limits: { maxFileSizeMb: number; timeoutSeconds: number; memoryMb: number };
  /** Route authentication (code engine): names of your own auth middleware/guards, routes public by design. */
  auth: { middleware: string[]; publicRoutes: string[] };
  /** Spec ↔ code cross-check: which spec describes which code, routes that need not be documented. */
  crossCheck: { pairs: { spec: string; code: string | string[] }[]; ignoreRoutes: string[] };
}

export const DEFAULT_CONFIG: Config = {
  include: [],
  exclude: [],
  failOn: 'error',
  rules: {},
  overrides: [],
  allowCustomFunctions: false,
  limits: { maxFileSizeMb: 25, timeoutSeconds: 120, memoryMb: 2048 },
  auth: { middleware: [], publicRoutes: [] },
  crossCheck: { pairs: [], ignoreRoutes: [] },
};

const ruleSetting = { enum: ['off', 'error', 'warning', 'info'] };
const globs = { type: 'array', items: { type: 'string', minLength: 1 } };
const rules = { type: 'object', additionalProperties: ruleSetting };

/** JSON Schema of `.apiguard.yml`; also documents the file (see README). */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    include: globs,
    exclude: globs,
    failOn: { enum: ['error', 'warning', 'info', 'never'] },
    rules,
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files', 'rules'],
        properties: { files: globs, rules },
      },
    },
    spectralRuleset: { type: 'string', minLength: 1 },
    allowCustomFunctions: { type: 'boolean' },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        /** `requireUser`, `passport.authenticate`, `ApiKeyGuard`: called or listed, they count as authentication. */
        middleware: {
          type: 'array',
          items: { type: 'string', pattern: '^[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*$' },
        },
        /** `GET /health`, `POST /webhooks/**`, `/public/**`: `[METHOD[,METHOD…]] <path glob>`. */
        publicRoutes: {
          type: 'array',
          items: { type: 'string', pattern: '^((\\*|[A-Za-z]+(\\s*,\\s*[A-Za-z]+)*)\\s+)?/\\S*$' },
        },
      },
    },
    crossCheck: {
      type: 'object',
      additionalProperties: false,
      properties: {
        /** `{ spec: docs/openapi.yaml, code: packages/api/** }`: globs relative to the repository root. */
        pairs: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['spec', 'code'],
            properties: {
              spec: { type: 'string', minLength: 1 },
              code: { type: ['string', 'array'], minLength: 1, items: { type: 'string', minLength: 1 } },
            },
          },
        },
        /** `GET /health`, `/internal/**`: routes that need not be in the spec, `[METHOD[,METHOD…]] <path glob>`. */
        ignoreRoutes: {
          type: 'array',
          items: { type: 'string', pattern: '^((\\*|[A-Za-z]+(\\s*,\\s*[A-Za-z]+)*)\\s+)?/\\S*$' },
        },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxFileSizeMb: { type: 'number', exclusiveMinimum: 0, maximum: 1024 },
        timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
        memoryMb: { type: 'integer', minimum: 128, maximum: 65536 },
      },
    },
  },
} as const;
