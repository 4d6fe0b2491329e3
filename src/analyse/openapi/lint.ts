import { getAt, isObject, type JsonPath } from '../../../rulesets/functions/openapi.ts';
import { registerSchemaRoles, type SchemaRoles } from '../../../rulesets/functions/schemas.ts';
import { takeSeverity } from '../../../rulesets/openapi/rule.ts';
import type { RawFinding, Severity } from '../../findings/finding.ts';
import { relativePath } from '../../findings/paths.ts';
import type { RuleMeta } from '../../findings/rule.ts';
import { findRule } from '../../rules/index.ts';
import {
  ALIAS_BOMB,
  OUTSIDE_WORKSPACE_BLOCKED,
  readWorkspaceFile,
  type SafeReadOptions,
  UnsafeFileError,
} from '../../workspace.ts';
import { ENGINE_RULES } from './diagnostics.ts';
import { formatJsonPath } from './json-path.ts';
import { surveyRefs } from './local-refs.ts';
import { createSafeResolver, REMOTE_REF_BLOCKED } from './resolver.ts';
import { buildRuleset, type RuleFailure } from './ruleset.ts';
import { schemaRolesAcrossFiles } from './schema-roles.ts';
import {
  type ISpectralDiagnostic,
  parseDocument,
  Resolver,
  Ruleset,
  type RulesetDefinition,
  type SpecDocument,
  Spectral,
} from './spectral.ts';
import { inlineSuppression } from './suppressions.ts';
import { combineRulesets, loadUserRuleset } from './user-ruleset.ts';

export interface SpecLintOptions extends SafeReadOptions {
  /** Findings name files relative to this directory. */
  cwd: string;
  /** Rules switched off everywhere by the configuration: not run at all. */
  disabledRules: readonly string[];
  /** The repository's own Spectral ruleset, run in the same pass as apiguard's rules. */
  userRuleset?: string;
  allowCustomFunctions: boolean;
}

const SUPPORTED_VERSION = /^(2\.0$|3\.0\.\d+|3\.1\.\d+)/;

/**
 * Lints OpenAPI documents with Spectral and apiguard's rulesets, one document at a time, and every file
 * they reference once. Each run gets a fresh resolver: a resolver cache shared across runs can loop
 * forever on `$ref` cycles that span files (stoplightio/spectral#2729).
 */
export class SpecLinter {
  private readonly rootRuleset: InstanceType<typeof Ruleset>;
  /** For a root document whose `$ref`s are all local: not resolved, so every rule reads it as written. */
  private readonly selfContainedRuleset: InstanceType<typeof Ruleset> | undefined;
  private readonly fragmentRuleset: InstanceType<typeof Ruleset>;
  private readonly failures: RuleFailure[] = [];
  private readonly linted = new Set<string>();
  private readonly fragmentRoles = new Map<string, SchemaRoles>();
  private readonly referenced = new Set<string>();

  private readonly options: SpecLintOptions;

  private constructor(options: SpecLintOptions, rootRuleset: RulesetDefinition) {
    this.options = options;
    this.rootRuleset = new Ruleset(
      rootRuleset,
      options.userRuleset ? { source: options.userRuleset } : undefined,
    );
    this.fragmentRuleset = new Ruleset(
      buildRuleset({ disabled: options.disabledRules, onFailure: this.onFailure, fragmentsOnly: true }),
    );
    // A repository's own rules may expect resolved documents: with one, every root document is resolved.
    this.selfContainedRuleset = options.userRuleset
      ? undefined
      : new Ruleset(
          buildRuleset({ disabled: options.disabledRules, onFailure: this.onFailure, asWritten: true }),
        );
  }

  private readonly onFailure = (failure: RuleFailure) => this.failures.push(failure);

  /** Loads the repository's Spectral ruleset, if any, beside apiguard's rules. */
  static async create(options: SpecLintOptions): Promise<SpecLinter> {
    let linter: SpecLinter | undefined;
    const onFailure = (failure: RuleFailure) => linter?.failures.push(failure);
    const apiguard = buildRuleset({ disabled: options.disabledRules, onFailure });
    const user = options.userRuleset
      ? await loadUserRuleset(options.userRuleset, {
          read: options,
          allowCustomFunctions: options.allowCustomFunctions,
          apiguard,
        })
      : undefined;
    linter = new SpecLinter(options, combineRulesets(apiguard, user));
    return linter;
  }

  /** Lints a root document, then each file it references that this linter has not linted yet. */
  async lint(file: string): Promise<RawFinding[]> {
    this.loaded.clear();
    this.linted.add(file);
    const findings = await this.lintOne(file, this.rootRuleset, 'root');
    const rootData = this.sourceData(file);
    if (rootData === undefined) return findings;
    for (const [fragment, roles] of schemaRolesAcrossFiles(file, rootData, (path) => this.sourceData(path))) {
      if (!this.fragmentRoles.has(fragment)) this.fragmentRoles.set(fragment, roles);
    }
    for (const fragment of [...this.referenced]) {
      if (this.linted.has(fragment)) continue;
      this.linted.add(fragment);
      findings.push(...(await this.lintOne(fragment, this.fragmentRuleset, 'fragment')));
    }
    return findings;
  }

  /** Reads and parses a file once per root document; a file that cannot be is a problem to report. */
  private load(file: string): Loaded {
    const cached = this.loaded.get(file);
    if (cached) return cached;
    const loaded = loadSpecFile(file, this.options);
    this.loaded.set(file, loaded);
    return loaded;
  }

  private async lintOne(file: string, ruleset: InstanceType<typeof Ruleset>, role: 'root' | 'fragment') {
    const fileFinding = (meta: RuleMeta, message: string) => [
      fileLevelFinding(this.options.cwd, file, meta, message),
    ];
    const loaded = this.load(file);
    if ('problem' in loaded) {
      if (loaded.problem.meta === ENGINE_RULES.parseError && loaded.problem.empty && role === 'fragment')
        return [];
      return fileFinding(loaded.problem.meta, loaded.problem.message);
    }
    const { document } = loaded;
    if (role === 'root') {
      const data = document.data as Record<string, unknown> | null;
      const version = String(data?.openapi ?? data?.swagger ?? '');
      if (version && !SUPPORTED_VERSION.test(version) && document.diagnostics.length === 0) {
        return fileFinding(
          ENGINE_RULES.analysisIncomplete,
          `OpenAPI version "${version}" is not supported (2.0, 3.0.x and 3.1.x are); the file was not checked.`,
        );
      }
    }
    if (role === 'fragment' && isObject(document.data)) {
      registerSchemaRoles(
        document.data,
        this.fragmentRoles.get(file) ?? { input: [], writeBody: [], response: [] },
      );
    }
    this.failures.length = 0;
    const survey = role === 'root' && this.selfContainedRuleset ? surveyRefs(document.data) : undefined;
    const selfContained = survey !== undefined && !survey.external;
    // A referenced file's own references were followed (and their problems reported) by the root's run,
    // and its rules read it as written, as do all rules on a document whose references are all local.
    const resolver =
      role === 'root' && !selfContained
        ? createSafeResolver(this.options, (path) => this.referenced.add(path))
        : new Resolver({ resolvers: {}, dereferenceRemote: false, dereferenceInline: false });
    const spectral = new Spectral({ resolver });
    spectral.setRuleset(selfContained ? this.selfContainedRuleset! : ruleset);
    const diagnostics = await spectral.run(document, { ignoreUnknownFormat: true });
    const findings = diagnostics
      .filter(
        (diagnostic) =>
          role === 'root' || (diagnostic.code !== 'parser' && diagnostic.code !== 'invalid-ref'),
      )
      .map((diagnostic) => this.toFinding(diagnostic, file, document));
    for (const path of survey?.broken ?? []) {
      findings.push(this.brokenLocalRef(document, file, path));
    }
    for (const failure of this.failures) {
      findings.push(
        fileLevelFinding(
          this.options.cwd,
          file,
          ENGINE_RULES.analysisIncomplete,
          `Rule ${failure.ruleId} failed on this file and its result is missing: ${failure.error}. Please report this apiguard bug.`,
        ),
      );
    }
    return findings;
  }

  /** What Spectral's resolver reports for a local `$ref` to nothing, for documents linted unresolved. */
  private brokenLocalRef(document: SpecDocument, file: string, path: JsonPath): RawFinding {
    const refPath = [...path, '$ref'];
    const target = String(getAt(document.data, refPath));
    return this.toFinding(
      {
        code: 'invalid-ref',
        message: `'${target}' does not exist`,
        path: refPath,
        severity: 0,
        range: document.getRangeForJsonPath(refPath, true) ?? {
          start: { line: 0, character: 0 },
          end: { line: 0, character: 0 },
        },
        source: file,
      },
      file,
      document,
    );
  }

  private readonly loaded = new Map<string, Loaded>();

  /** The unresolved data of a file, for `x-apiguard-ignore` and cross-file lookups. */
  private sourceData(file: string): unknown {
    const loaded = this.load(file);
    return 'document' in loaded ? loaded.document.data : undefined;
  }

  private toFinding(diagnostic: ISpectralDiagnostic, file: string, linted: SpecDocument): RawFinding {
    const absoluteFile = diagnostic.source ?? file;
    const code = String(diagnostic.code);
    const meta = engineRuleFor(code, diagnostic.message) ?? findRule(code);
    const { severity: marked, message } = takeSeverity(diagnostic.message);
    const jsonPath = formatJsonPath(diagnostic.path);
    const { start, end } = diagnostic.range;
    const suppression =
      meta?.category === 'spec-integrity'
        ? undefined
        : inlineSuppression(
            meta?.id ?? code,
            diagnostic.path,
            absoluteFile === linted.source ? linted.data : this.sourceData(absoluteFile),
          );
    return {
      ruleId: meta?.id ?? code,
      severity: marked ?? meta?.severity ?? fromSpectralSeverity(diagnostic.severity),
      message: code === 'parser' || code === 'invalid-ref' ? sentence(message) : message,
      file: relativePath(this.options.cwd, absoluteFile),
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      cwe: meta?.cwe ?? [],
      owasp: meta?.owasp ?? [],
      category: meta?.category ?? 'custom',
      engine: 'openapi',
      jsonPath,
      anchor: meta?.category === 'spec-integrity' ? `${jsonPath}|${message}` : jsonPath,
      ...(suppression ? { suppression } : {}),
    };
  }
}

function engineRuleFor(code: string, message: string): RuleMeta | undefined {
  if (code === 'parser') {
    return message.startsWith('Duplicate key') ? ENGINE_RULES.duplicateKey : ENGINE_RULES.parseError;
  }
  if (code === 'invalid-ref') {
    if (message.startsWith(REMOTE_REF_BLOCKED)) return ENGINE_RULES.remoteRef;
    if (message.includes(OUTSIDE_WORKSPACE_BLOCKED)) return ENGINE_RULES.refOutsideWorkspace;
    return ENGINE_RULES.invalidRef;
  }
  return undefined;
}

function fromSpectralSeverity(severity: number): Severity {
  return severity === 0 ? 'error' : severity === 1 ? 'warning' : 'info';
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply';
  return error instanceof Error ? error.message : String(error);
}

/** A finding about a whole file (it cannot be read, parsed or fully analysed), at its first line. */
export function fileLevelFinding(cwd: string, file: string, meta: RuleMeta, message: string): RawFinding {
  return {
    ruleId: meta.id,
    severity: meta.severity,
    message,
    file: relativePath(cwd, file),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    cwe: meta.cwe,
    owasp: meta.owasp,
    category: meta.category,
    engine: 'openapi',
    jsonPath: '$',
    anchor: `$|${message}`,
  };
}

type Loaded = { document: SpecDocument } | { problem: { meta: RuleMeta; message: string; empty?: boolean } };

/** Reads a spec file inside the workspace and parses it, refusing what would exhaust time or memory. */
export function loadSpecFile(file: string, options: SafeReadOptions): Loaded {
  let text: string;
  try {
    text = readWorkspaceFile(file, options);
  } catch (error) {
    if (!(error instanceof UnsafeFileError)) throw error;
    const meta = error.message.includes(OUTSIDE_WORKSPACE_BLOCKED)
      ? ENGINE_RULES.refOutsideWorkspace
      : error.message.includes(ALIAS_BOMB)
        ? ENGINE_RULES.parseError
        : /limit|binary/.test(error.message)
          ? ENGINE_RULES.analysisIncomplete
          : ENGINE_RULES.parseError;
    return { problem: { meta, message: `${error.message}.` } };
  }
  if (text.trim() === '')
    return { problem: { meta: ENGINE_RULES.parseError, message: 'The file is empty.', empty: true } };
  try {
    const document = parseDocument(text, file);
    void document.data;
    return { document };
  } catch (error) {
    return {
      problem: { meta: ENGINE_RULES.parseError, message: `The file cannot be parsed: ${describe(error)}.` },
    };
  }
}
