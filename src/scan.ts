import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { analyseCode } from './analyse/code/index.ts';
import type { Route } from './analyse/code/route.ts';
import type { CrossCheckModel } from './analyse/crosscheck/index.ts';
import { HARDCODED_SECRET } from './analyse/secrets/rule.ts';
import { type Config, ConfigError, disabledRules, findConfigFile, loadConfig } from './config/index.ts';
import { discoverFiles } from './discover/index.ts';
import { filterFindings } from './filter/index.ts';
import type { FailOn, Finding, RawFinding } from './findings/finding.ts';
import { dedupeFindings, fingerprintFindings } from './findings/fingerprint.ts';
import { relativePath } from './findings/paths.ts';
import type { ScanResult } from './findings/result.ts';
import { allRules } from './rules/index.ts';
import { findWorkspace, type SafeReadOptions } from './workspace.ts';

export interface ScanOptions {
  /** Files and folders to scan, relative to `cwd` or absolute. */
  paths: readonly string[];
  cwd: string;
  /** An explicit configuration file; otherwise `.apiguard.yml` is looked for upward from the first path. */
  configFile?: string;
  failOn?: FailOn;
  /** The bundled worker script for spec analysis (see `analyseSpecs`, `bundledSpecWorkerFile`). */
  specWorkerFile?: string;
  /** The bundled worker for code analysis; default: `code-worker.js` next to the entry script, if there. */
  codeWorkerFile?: string;
  /** Fingerprints of accepted findings: reported as existing (suppressed), never failing the run. */
  baseline?: ReadonlySet<string>;
  /**
   * Never run repository code, whatever the configuration allows: under `pull_request_target` the checkout may
   * be the pull request's, configuration included, while the job holds a write token.
   */
  neverRunRepositoryCode?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The worker that bounds each spec's time and memory, next to the entry script when running from dist/. */
export function bundledSpecWorkerFile(): string | undefined {
  return bundledFile('openapi-worker.js');
}

/** The worker the code engine (and the TypeScript compiler it loads) runs in, under a heap limit. */
export function bundledCodeWorkerFile(): string | undefined {
  return bundledFile('code-worker.js');
}

function bundledFile(name: string): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  const candidate = join(dirname(realpathSync(entry)), name);
  return existsSync(candidate) ? candidate : undefined;
}

export function resolveConfig(
  options: Pick<ScanOptions, 'paths' | 'cwd' | 'configFile'>,
  workspace: string,
): Config {
  const first = resolve(options.cwd, options.paths[0] ?? '.');
  const file = options.configFile
    ? resolve(options.cwd, options.configFile)
    : findConfigFile(first.match(/\.[a-z]+$/i) ? dirname(first) : first, workspace);
  const config = loadConfig(file, options.cwd);
  const known = new Set(allRules.map((rule) => rule.id));
  const configured = [...Object.keys(config.rules), ...config.overrides.flatMap((o) => Object.keys(o.rules))];
  const unknown = configured.filter((id) => !known.has(id));
  if (unknown.length > 0 && !config.spectralRuleset) {
    throw new ConfigError(
      `${file ? relativePath(options.cwd, file) : 'configuration'}: unknown rule ${unknown.map((id) => `"${id}"`).join(', ')}; \`apiguard rules\` lists them all.`,
    );
  }
  return config;
}

/**
 * Loads the configured Spectral ruleset once here, so a broken one stops the run with exit 2. A
 * `.spectral.yaml` that is not configured is left alone: it usually holds style rules, not security ones.
 */
async function checkUserRuleset(
  config: Config,
  workspace: string,
  read: SafeReadOptions,
): Promise<string | undefined> {
  const file = config.spectralRuleset;
  if (!file) return undefined;
  const { loadUserRuleset, UserRulesetError } = await import('./analyse/openapi/user-ruleset.ts');
  const { buildRuleset } = await import('./analyse/openapi/ruleset.ts');
  try {
    await loadUserRuleset(file, {
      read,
      allowCustomFunctions: config.allowCustomFunctions,
      apiguard: buildRuleset({ disabled: [], onFailure: () => {} }),
    });
  } catch (error) {
    if (error instanceof UserRulesetError) throw new ConfigError(error.message.replace(workspace + sep, ''));
    throw error;
  }
  return file;
}

/** Workspace, configuration and the files each engine reads: what `scan` and `listRoutes` start from. */
function discover(options: Pick<ScanOptions, 'paths' | 'cwd' | 'configFile'>) {
  const cwd = resolve(options.cwd);
  const workspace = findWorkspace(cwd);
  const config = resolveConfig(options, workspace);
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const discovered = discoverFiles({
    paths: paths.map((path) => resolve(cwd, path)),
    root: workspace,
    include: config.include,
    exclude: config.exclude,
  });
  if (discovered.missing.length > 0) {
    throw new ConfigError(`No such file or folder: ${discovered.missing.join(', ')}`);
  }
  const read = {
    workspace: { path: workspace, realPath: realpathSync(workspace) },
    maxFileBytes: config.limits.maxFileSizeMb * 1024 * 1024,
  };
  return { cwd, workspace, config, discovered, read };
}

/** The code engine's options from the configuration; it gets five times the per-file time limit in all. */
function codeOptions(
  config: Config,
  cwd: string,
  read: ReturnType<typeof discover>['read'],
  workerFile: string | undefined,
) {
  return {
    cwd,
    ...read,
    disabledRules: disabledRules(config),
    timeoutMs: config.limits.timeoutSeconds * 5 * 1000,
    memoryMb: config.limits.memoryMb,
    auth: config.auth,
    ...(workerFile ? { workerFile } : {}),
  };
}

/** The route inventory of the TypeScript/JavaScript code (`apiguard routes`). */
export async function listRoutes(
  options: Pick<ScanOptions, 'paths' | 'cwd' | 'configFile' | 'codeWorkerFile'>,
): Promise<{ routes: Route[]; cwdInWorkspace: string }> {
  const { cwd, workspace, config, discovered, read } = discover(options);
  const code = await analyseCode(discovered, {
    ...codeOptions(config, cwd, read, options.codeWorkerFile ?? bundledCodeWorkerFile()),
    skipRules: true,
  });
  return { routes: code.routes, cwdInWorkspace: relativePath(workspace, cwd) };
}

/** The cross-check's options: it runs after both engines, on their outputs. */
function crossCheckOptions(config: Config, cwd: string, read: ReturnType<typeof discover>['read']) {
  return { cwd, ...read, disabledRules: disabledRules(config), settings: config.crossCheck };
}

/** `apiguard routes --spec`: the routes joined with the operations of the specs paired with their code. */
export async function listInventory(
  options: Pick<ScanOptions, 'paths' | 'cwd' | 'configFile' | 'codeWorkerFile'>,
): Promise<CrossCheckModel> {
  const { cwd, config, discovered, read } = discover(options);
  const code = await analyseCode(discovered, {
    ...codeOptions(config, cwd, read, options.codeWorkerFile ?? bundledCodeWorkerFile()),
    skipRules: true,
  });
  const { crossCheck } = await import('./analyse/crosscheck/index.ts');
  return crossCheck({ specs: discovered.specs, routes: code.routes }, crossCheckOptions(config, cwd, read))
    .model;
}

/**
 * A route the spec says is protected and the code leaves open would be reported twice on the same line;
 * the cross-check's finding says more (it names the spec's requirement), so `missing-auth` gives way.
 */
function withoutRestatedMissingAuth(code: RawFinding[], crossChecked: RawFinding[]): RawFinding[] {
  const drifted = new Set(
    crossChecked
      .filter((finding) => finding.ruleId === 'spec-code-auth-mismatch' && finding.severity === 'error')
      .map((finding) => `${finding.file}:${finding.line}`),
  );
  return code.filter(
    (finding) => finding.ruleId !== 'missing-auth' || !drifted.has(`${finding.file}:${finding.line}`),
  );
}

/** discover → analyse → findings → filter. Reporting is the caller's. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const { cwd, workspace, config, discovered, read } = discover(options);
  if (options.neverRunRepositoryCode) config.allowCustomFunctions = false;
  const userRuleset = await checkUserRuleset(config, workspace, read);
  // Secrets are read on this thread while the engines' workers run.
  const secretsScan = disabledRules(config).includes(HARDCODED_SECRET.id)
    ? Promise.resolve({ findings: [], files: [] })
    : import('./analyse/secrets/scan.ts').then(({ scanSecrets }) =>
        scanSecrets(discovered, { cwd, workspace: read.workspace }),
      );
  // Each engine is loaded only when there are files for it (Spectral and TypeScript are large).
  const analyseSpecs =
    discovered.specs.length > 0 ? (await import('./analyse/openapi/index.ts')).analyseSpecs : async () => [];
  const raw = await analyseSpecs(discovered.specs, {
    cwd,
    ...read,
    disabledRules: disabledRules(config),
    allowCustomFunctions: config.allowCustomFunctions,
    ...(userRuleset ? { userRuleset } : {}),
    timeoutMs: config.limits.timeoutSeconds * 1000,
    memoryMb: config.limits.memoryMb,
    ...(options.specWorkerFile ? { workerFile: options.specWorkerFile } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const code = await analyseCode(
    discovered,
    codeOptions(config, cwd, read, options.codeWorkerFile ?? bundledCodeWorkerFile()),
  );
  const { crossCheck } = await import('./analyse/crosscheck/index.ts');
  const crossChecked = crossCheck(
    { specs: discovered.specs, routes: code.routes },
    crossCheckOptions(config, cwd, read),
  );
  raw.push(...withoutRestatedMissingAuth(code.findings, crossChecked.findings), ...crossChecked.findings);
  const secrets = await secretsScan;
  raw.push(...secrets.findings);
  const findings = dedupeFindings(
    fingerprintFindings(raw, (file) => relativePath(workspace, resolve(cwd, file))),
  );
  const filtered = filterFindings(findings, { config, cwd, workspace, baseline: options.baseline });
  const { redactSecrets } = await import('./analyse/secrets/index.ts');
  // Rules never put a secret in a message; this last pass guards every channel against one that slips through.
  const redact = (finding: Finding): Finding => ({ ...finding, message: redactSecrets(finding.message) });
  return {
    findings: filtered.findings.map(redact),
    suppressed: filtered.suppressed.map(redact),
    files: {
      openapi: discovered.specs.map((file) => relativePath(cwd, file)),
      code: [...new Set([...code.files, ...secrets.files])].sort(),
    },
    failOn: options.failOn ?? config.failOn,
    durationMs: performance.now() - started,
    cwdInWorkspace: relativePath(workspace, cwd),
    inventory: crossChecked.model,
  };
}
