/**
 * The code engine proper (loads ts-morph): programs per tsconfig, extraction per file, route composition,
 * rules, inline suppressions. Runs in the worker thread `index.ts` starts, or in-process for tests.
 */
import { resolve } from 'node:path';
import { codeRules } from '../../../rulesets/code/index.ts';
import type { RawFinding, Severity } from '../../findings/finding.ts';
import type { RuleMeta } from '../../findings/rule.ts';
import { findSuppression, parseSuppressions, type SuppressionIndex } from '../suppressions.ts';
import { composeRoutes } from './compose.ts';
import { ExtractionContext } from './context.ts';
import { CODE_ENGINE_RULES } from './diagnostics.ts';
import { emptyFacts } from './facts.ts';
import { NestExtractor } from './frameworks/nest.ts';
import { NextExtractor } from './frameworks/next.ts';
import { RouterExtractor } from './frameworks/routers.ts';
import { TrpcExtractor } from './frameworks/trpc.ts';
import type { CodeAnalysis, CodeAnalysisOptions, CodeFiles } from './index.ts';
import { extractableFiles, groupSources, loadProgram, PathMapper } from './project.ts';
import type { SourceRange } from './route.ts';
import { SandboxFileSystem } from './sandbox-fs.ts';

/** Larger source files are generated or bundled code, not route definitions: reported, not parsed. */
const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export function analyseCodeInProcess(files: CodeFiles, options: CodeAnalysisOptions): CodeAnalysis {
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const { cwd, workspace } = options;
  const maxBytes = Math.min(options.maxFileBytes, MAX_SOURCE_BYTES);
  const fs = new SandboxFileSystem(workspace.realPath, maxBytes, cwd);
  const paths = new PathMapper(workspace.path, workspace.realPath);
  const findings: RawFinding[] = [];
  const display = (real: string) => paths.display(cwd, real);
  const fileFinding = (
    meta: RuleMeta,
    file: string,
    message: string,
    range?: Omit<SourceRange, 'file'>,
  ): RawFinding => ({
    ruleId: meta.id,
    severity: meta.severity,
    message,
    file,
    line: range?.line ?? 1,
    column: range?.column ?? 1,
    endLine: range?.endLine ?? 1,
    endColumn: range?.endColumn ?? 1,
    cwe: meta.cwe,
    owasp: meta.owasp,
    category: meta.category,
    engine: 'code',
    anchor: meta.id,
  });

  const sources: string[] = [];
  for (const file of files.sources) {
    const real = paths.toReal(file);
    if (fs.fileExistsSync(real)) sources.push(real);
    else if (!real.split(/[\\/]/).includes('node_modules'))
      findings.push(
        fileFinding(
          CODE_ENGINE_RULES.analysisIncomplete,
          display(real),
          `The file was not analysed: it is larger than ${Math.round(maxBytes / 1024 / 1024)} MB or outside the repository.`,
        ),
      );
  }
  const groups = groupSources(
    sources,
    files.tsconfigs.map((file) => paths.toReal(file)),
  );
  const facts = emptyFacts();
  const analysed: string[] = [];
  let stopped = false;
  const readFile = (path: string) => {
    try {
      return fs.readFileSync(path);
    } catch {
      return undefined;
    }
  };
  for (const group of groups) {
    if (stopped) break;
    const extractable = extractableFiles(group, workspace.realPath, readFile);
    if (extractable.length === 0) continue;
    let program: ReturnType<typeof loadProgram> | undefined;
    try {
      program = loadProgram({ ...group, files: extractable }, fs);
    } catch (error) {
      findings.push(
        fileFinding(
          CODE_ENGINE_RULES.analysisIncomplete,
          display(group.tsconfig ?? group.files[0]!),
          `${group.files.length} files were not analysed: apiguard failed to load them (${firstLine(error)}).`,
        ),
      );
      continue;
    }
    const context = new ExtractionContext({
      program: program.program,
      checker: program.checker,
      facts,
      cwd,
      paths,
      workspaceRealPath: workspace.realPath,
      authNames: options.auth.middleware,
      // The route table alone (`apiguard routes`) needs no data-flow analysis.
      ...(options.skipRules ? {} : { readFile }),
    });
    const extractors = [
      new RouterExtractor(context),
      new NestExtractor(context),
      new NextExtractor(context, readFile),
      new TrpcExtractor(context),
    ];
    for (const [index, file] of extractable.entries()) {
      if (performance.now() > deadline) {
        const left =
          extractable.length -
          index +
          groups.slice(groups.indexOf(group) + 1).reduce((sum, g) => sum + g.files.length, 0);
        findings.push(
          fileFinding(
            CODE_ENGINE_RULES.analysisIncomplete,
            display(file),
            `The analysis stopped after ${Math.round(options.timeoutMs / 1000)} s (limits.timeoutSeconds): this file and ${left - 1} more were not analysed.`,
          ),
        );
        stopped = true;
        break;
      }
      const sourceFile = program.program.getSourceFile(file);
      if (!sourceFile) continue;
      analysed.push(display(file));
      const syntax = program.program.getSyntacticDiagnostics(sourceFile)[0];
      if (syntax) {
        const at = sourceFile.getLineAndCharacterOfPosition(syntax.start ?? 0);
        const message =
          typeof syntax.messageText === 'string' ? syntax.messageText : syntax.messageText.messageText;
        findings.push(
          fileFinding(
            CODE_ENGINE_RULES.parseError,
            display(file),
            `The file cannot be parsed (${message}); routes and middleware in it are not analysed.`,
            {
              line: at.line + 1,
              column: at.character + 1,
              endLine: at.line + 1,
              endColumn: at.character + 2,
            },
          ),
        );
        continue;
      }
      try {
        for (const extractor of extractors) extractor.extract(sourceFile);
        context.flow?.file(sourceFile);
      } catch (error) {
        findings.push(
          fileFinding(
            CODE_ENGINE_RULES.analysisIncomplete,
            display(file),
            `The file was not fully analysed: apiguard failed on it (${firstLine(error)}).`,
          ),
        );
      }
    }
    if (!stopped) context.flow?.finish();
    // Extraction walks raw compiler nodes (no ts-morph wrappers to release); the program and its checker are
    // dropped with this iteration, and only plain facts survive to composition.
  }

  const model = composeRoutes(facts, { publicRoutes: options.auth.publicRoutes });
  if (options.skipRules) return { findings, routes: model.routes, files: analysed };
  const disabled = new Set(options.disabledRules);
  const suppressionsOf = new Map<string, SuppressionIndex>();
  const suppressions = (file: string): SuppressionIndex => {
    let index = suppressionsOf.get(file);
    if (!index) {
      let text = '';
      try {
        text = fs.readFileSync(resolve(cwd, file));
      } catch {
        // An unreadable file has no suppressions.
      }
      index = parseSuppressions(text);
      suppressionsOf.set(file, index);
    }
    return index;
  };
  for (const rule of codeRules) {
    if (disabled.has(rule.meta.id)) continue;
    for (const result of rule.check({
      routes: model.routes,
      hasAuthMechanism: model.hasAuthMechanism,
      flow: facts.flow,
    })) {
      const severity: Severity = result.severity ?? rule.meta.severity;
      const { file, line, column, endLine, endColumn } = result.location;
      const suppression = findSuppression(suppressions(file), rule.meta.id, line);
      findings.push({
        ruleId: rule.meta.id,
        severity,
        message: result.message,
        file,
        line,
        column,
        endLine,
        endColumn,
        cwe: rule.meta.cwe,
        owasp: rule.meta.owasp,
        category: rule.meta.category,
        engine: 'code',
        anchor: result.anchor,
        ...(result.flow ? { flow: result.flow } : {}),
        ...(suppression ? { suppression } : {}),
      });
    }
  }
  for (const finding of findings) {
    if (finding.suppression || finding.ruleId.startsWith('code-')) {
      const suppression =
        finding.suppression ?? findSuppression(suppressions(finding.file), finding.ruleId, finding.line);
      if (suppression) finding.suppression = suppression;
    }
  }
  return {
    findings: findings.filter((finding) => !disabled.has(finding.ruleId)),
    routes: model.routes,
    files: analysed,
  };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error)
    .split('\n')[0]!
    .slice(0, 200);
}
