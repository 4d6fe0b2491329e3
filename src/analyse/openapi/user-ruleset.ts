import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import spectralFormats from '@stoplight/spectral-formats';
import spectralFunctions from '@stoplight/spectral-functions';
import spectralRulesets from '@stoplight/spectral-rulesets';
import { isObject } from '../../../rulesets/functions/openapi.ts';
import { readWorkspaceFile, type SafeReadOptions } from '../../workspace.ts';
import { parseDocument, Ruleset, type RulesetDefinition } from './spectral.ts';

/** Names a user ruleset may `extends`, mapped to the copies bundled with apiguard. */
export const APIGUARD_RULESET_NAME = 'apiguard';

export class UserRulesetError extends Error {}

type Loader = {
  read: SafeReadOptions;
  allowCustomFunctions: boolean;
  apiguard: RulesetDefinition;
  /** Files being loaded, to refuse `extends` cycles. */
  stack: string[];
};

const BUILTIN_RULESETS: Record<string, RulesetDefinition> = {
  'spectral:oas': spectralRulesets.oas as RulesetDefinition,
  'spectral:asyncapi': spectralRulesets.asyncapi as RulesetDefinition,
  'spectral:arazzo': spectralRulesets.arazzo as RulesetDefinition,
};

const FUNCTIONS = spectralFunctions as unknown as Record<string, unknown>;
const FORMATS = spectralFormats as unknown as Record<string, unknown>;

/**
 * The ruleset a spec is linted with: apiguard's alone, or the user's with apiguard's added to its `extends`
 * (the user's stays the top-level ruleset so its `overrides` apply, relative to its own folder).
 */
export function combineRulesets(
  apiguard: RulesetDefinition,
  user: RulesetDefinition | undefined,
): RulesetDefinition {
  if (!user) return apiguard;
  const own = (user as { extends?: unknown }).extends;
  return {
    ...user,
    extends: [[apiguard, 'recommended'], ...(own === undefined ? [] : extendsEntries(own))],
    parserOptions: (apiguard as { parserOptions?: unknown }).parserOptions,
  } as RulesetDefinition;
}

/**
 * Turns a YAML/JSON Spectral ruleset into a ruleset definition without running anything: `extends` names
 * map to bundled rulesets or other ruleset files in the workspace, function names to Spectral's core
 * functions, format names to Spectral's formats. Rulesets' own JavaScript (custom functions, `.js`
 * rulesets) is repository code and loads only when the configuration allows it.
 */
export async function loadUserRuleset(
  file: string,
  options: { read: SafeReadOptions; allowCustomFunctions: boolean; apiguard: RulesetDefinition },
): Promise<RulesetDefinition> {
  const definition = await loadFile(resolve(file), { ...options, stack: [] });
  try {
    // Validates the whole definition now, so a mistake is reported once, naming the file.
    new Ruleset(definition, { source: file });
  } catch (error) {
    throw new UserRulesetError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return definition;
}

async function loadFile(file: string, loader: Loader): Promise<RulesetDefinition> {
  if (loader.stack.includes(file)) throw new UserRulesetError(`${file}: \`extends\` forms a cycle`);
  const extension = extname(file).toLowerCase();
  if (['.js', '.mjs', '.cjs', '.ts'].includes(extension)) {
    if (!loader.allowCustomFunctions) {
      throw new UserRulesetError(
        `${file}: JavaScript rulesets run repository code; set \`allowCustomFunctions: true\` in .apiguard.yml to load them`,
      );
    }
    const module = (await import(pathToFileURL(file).href)) as { default?: RulesetDefinition };
    if (!module.default)
      throw new UserRulesetError(`${file}: a JavaScript ruleset must export the ruleset as default`);
    return module.default;
  }
  let text: string;
  try {
    text = readWorkspaceFile(file, loader.read);
  } catch (error) {
    throw new UserRulesetError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const document = parseDocument(text, file);
  const syntax = document.diagnostics.find((diagnostic) => diagnostic.severity === 0);
  if (syntax) throw new UserRulesetError(`${file}:${syntax.range.start.line + 1}: ${syntax.message}`);
  const data = document.data;
  if (!isObject(data)) throw new UserRulesetError(`${file}: a ruleset must be a mapping`);
  const nested: Loader = { ...loader, stack: [...loader.stack, file] };
  const functions = await customFunctions(file, data, nested);
  const converted: Record<string, unknown> = { ...data };
  delete converted.functions;
  delete converted.functionsDir;
  if (data.extends !== undefined) converted.extends = await convertExtends(file, data.extends, nested);
  if (data.formats !== undefined) converted.formats = convertFormats(file, data.formats);
  if (isObject(data.rules)) {
    converted.rules = Object.fromEntries(
      Object.entries(data.rules).map(([name, rule]) => [name, convertRule(file, name, rule, functions)]),
    );
  }
  if (Array.isArray(data.overrides)) {
    converted.overrides = await Promise.all(
      data.overrides.map(async (override) => {
        if (!isObject(override)) return override;
        const copy: Record<string, unknown> = { ...override };
        if (override.extends !== undefined)
          copy.extends = await convertExtends(file, override.extends, nested);
        if (isObject(override.rules)) {
          copy.rules = Object.fromEntries(
            Object.entries(override.rules).map(([name, rule]) => [
              name,
              convertRule(file, name, rule, functions),
            ]),
          );
        }
        return copy;
      }),
    );
  }
  return converted as RulesetDefinition;
}

const RULESET_SEVERITIES = ['off', 'recommended', 'all'];

/** `extends` is a name, a `[name, severity]` pair, or a list of either. */
function extendsEntries(value: unknown): unknown[] {
  const isPair = Array.isArray(value) && value.length === 2 && RULESET_SEVERITIES.includes(String(value[1]));
  return isPair ? [value] : Array.isArray(value) ? value : [value];
}

async function convertExtends(file: string, value: unknown, loader: Loader): Promise<unknown> {
  const entries = extendsEntries(value);
  const converted = [];
  for (const entry of entries) {
    const [name, severity] = Array.isArray(entry) ? entry : [entry, undefined];
    if (typeof name !== 'string')
      throw new UserRulesetError(`${file}: \`extends\` entries must be names or paths`);
    const ruleset = await resolveExtends(file, name, loader);
    converted.push(severity === undefined ? ruleset : [ruleset, severity]);
  }
  return converted;
}

async function resolveExtends(file: string, name: string, loader: Loader): Promise<RulesetDefinition> {
  if (name === APIGUARD_RULESET_NAME) return loader.apiguard;
  const builtin = BUILTIN_RULESETS[name];
  if (builtin) return builtin;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    throw new UserRulesetError(
      `${file}: \`extends: ${name}\` is a URL; apiguard never loads rulesets over the network`,
    );
  }
  if (name === '@stoplight/spectral-owasp-ruleset') {
    throw new UserRulesetError(
      `${file}: \`extends: ${name}\` is not bundled; apiguard's own rules cover its 32 checks (see docs/rules). Use \`extends: apiguard\` or remove it`,
    );
  }
  if (!name.startsWith('.') && !name.startsWith('/')) {
    throw new UserRulesetError(
      `${file}: \`extends: ${name}\` names a package; apiguard bundles only spectral:oas, spectral:asyncapi, spectral:arazzo and ${APIGUARD_RULESET_NAME}, and loads other rulesets from files in the repository`,
    );
  }
  return loadFile(resolve(dirname(file), name), loader);
}

function convertFormats(file: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new UserRulesetError(`${file}: \`formats\` must be a list`);
  return value.map((name) => {
    const format = typeof name === 'string' ? FORMATS[name] : undefined;
    if (typeof format !== 'function') {
      throw new UserRulesetError(`${file}: unknown format "${String(name)}"`);
    }
    return format;
  });
}

function convertRule(file: string, name: string, rule: unknown, functions: Record<string, unknown>): unknown {
  if (!isObject(rule)) return rule; // a severity override such as `off`
  const copy: Record<string, unknown> = { ...rule };
  if (rule.formats !== undefined) copy.formats = convertFormats(file, rule.formats);
  if (rule.then !== undefined) {
    copy.then = [rule.then].flat().map((then) => {
      if (!isObject(then)) return then;
      const fn =
        typeof then.function === 'string'
          ? (functions[then.function] ?? FUNCTIONS[then.function])
          : undefined;
      if (typeof fn !== 'function') {
        throw new UserRulesetError(
          `${file}: rule "${name}" uses unknown function "${String(then.function)}"`,
        );
      }
      return { ...then, function: fn };
    });
  }
  return copy;
}

async function customFunctions(file: string, data: Record<string, unknown>, loader: Loader) {
  if (data.functions === undefined) return {};
  if (!loader.allowCustomFunctions) {
    throw new UserRulesetError(
      `${file}: custom functions run repository code; set \`allowCustomFunctions: true\` in .apiguard.yml to load them`,
    );
  }
  if (!Array.isArray(data.functions))
    throw new UserRulesetError(`${file}: \`functions\` must be a list of names`);
  const dir = resolve(dirname(file), typeof data.functionsDir === 'string' ? data.functionsDir : 'functions');
  const loaded: Record<string, unknown> = {};
  for (const name of data.functions) {
    if (typeof name !== 'string') continue;
    const candidates = ['.js', '.mjs', '.cjs'].map((extension) => join(dir, `${name}${extension}`));
    const path = candidates.find((candidate) => existsSync(candidate));
    if (!path) throw new UserRulesetError(`${file}: custom function "${name}" not found in ${dir}`);
    const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    loaded[name] = module.default;
  }
  return loaded;
}
