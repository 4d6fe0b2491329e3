import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import spectralParsers from '@stoplight/spectral-parsers';
import { Ajv, type ErrorObject } from 'ajv';
import { relativePath } from '../findings/paths.ts';
import { isInside } from '../workspace.ts';
import { CONFIG_SCHEMA, type Config, DEFAULT_CONFIG } from './schema.ts';

export const CONFIG_FILE_NAMES = ['.apiguard.yml', '.apiguard.yaml'];

/** A configuration problem: reported with the file, the key and what is allowed; the CLI exits with 2. */
export class ConfigError extends Error {}

/** Looks for a configuration file from `start` up to the workspace root, never above it. */
export function findConfigFile(start: string, workspace: string): string | undefined {
  let dir = resolve(start);
  while (isInside(workspace, dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dir === workspace || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return undefined;
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);

export function loadConfig(file: string | undefined, cwd: string): Config {
  if (!file) return structuredClone(DEFAULT_CONFIG);
  const name = relativePath(cwd, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${name}: cannot read the configuration file.`);
  }
  // The YAML parser alone (not Spectral), so reading the configuration stays cheap at start-up.
  const parsed = spectralParsers.Yaml.parse(text);
  const syntax = parsed.diagnostics.find((diagnostic) => diagnostic.severity === 0);
  if (syntax) {
    const message = syntax.message.replace(/^[a-z]/, (first) => first.toUpperCase());
    throw new ConfigError(`${name}:${syntax.range.start.line + 1}: ${message}`);
  }
  const data = parsed.data ?? {};
  if (!validate(data)) {
    const messages = (validate.errors ?? []).map((error) => {
      const path = error.instancePath.split('/').slice(1);
      if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
      const line = spectralParsers.Yaml.getLocationForJsonPath(parsed, path, true)?.range.start.line;
      return `${name}${line === undefined ? '' : `:${line + 1}`}: ${describeError(error, path)}`;
    });
    throw new ConfigError([...new Set(messages)].join('\n'));
  }
  const config = { ...structuredClone(DEFAULT_CONFIG), ...(data as Partial<Config>) };
  config.limits = { ...DEFAULT_CONFIG.limits, ...config.limits };
  config.auth = { ...DEFAULT_CONFIG.auth, ...config.auth };
  config.crossCheck = { ...DEFAULT_CONFIG.crossCheck, ...config.crossCheck };
  if (config.spectralRuleset) config.spectralRuleset = resolve(dirname(file), config.spectralRuleset);
  return config;
}

function describeError(error: ErrorObject, path: string[]): string {
  const key = path.length > 0 ? path.join('.') : 'the top level';
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(allowedKeysAt(path.slice(0, -1)));
      return `unknown key "${path.join('.')}"; allowed here: ${allowed.join(', ')}.`;
    }
    case 'enum':
      return `"${key}" must be one of ${(error.params.allowedValues as string[]).join(', ')}.`;
    case 'required':
      return `"${key}" is missing "${error.params.missingProperty}".`;
    default:
      return `"${key}" ${error.message ?? 'is invalid'}.`;
  }
}

/** The properties the schema allows at a config path (array indexes skipped). */
function allowedKeysAt(path: string[]): Record<string, unknown> {
  let schema: { properties?: Record<string, unknown>; items?: unknown } = CONFIG_SCHEMA;
  for (const segment of path) {
    if (/^\d+$/.test(segment)) schema = schema.items as typeof schema;
    else schema = (schema.properties?.[segment] ?? {}) as typeof schema;
  }
  return schema.properties ?? {};
}
