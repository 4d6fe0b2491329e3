/**
 * The code engine's public surface. TypeScript/JavaScript route discovery and route rules, built on ts-morph,
 * which this module never imports itself: the engine is loaded in a worker thread (or by dynamic import),
 * so spec-only runs do not pay for starting the compiler.
 *
 *   const { routes, findings } = await analyseCode({ sources, tsconfigs }, options);
 *
 * `routes` is the route model (route.ts), plain data; `findings` are raw findings of the code rules
 * (rulesets/code) and of the engine itself (diagnostics.ts), inline suppressions already attached.
 */
import { Worker } from 'node:worker_threads';
import type { RawFinding } from '../../findings/finding.ts';
import { relativePath } from '../../findings/paths.ts';
import { CODE_ENGINE_RULES } from './diagnostics.ts';
import type { Route } from './route.ts';
import type { CodeWorkerReply } from './worker.ts';

export { findSuppression, parseSuppressions, type SuppressionIndex } from '../suppressions.ts';
export { CODE_ENGINE_RULES } from './diagnostics.ts';
export type {
  AuthCheck,
  ChainStep,
  Framework,
  PublicDeclaration,
  Route,
  SourcePosition,
  SourceRange,
  StepKind,
} from './route.ts';
export { authSteps, STATE_CHANGING_METHODS } from './route.ts';

/** The files the engine reads, as discovery lists them (absolute paths). */
export interface CodeFiles {
  sources: readonly string[];
  tsconfigs: readonly string[];
}

export interface CodeAnalysisOptions {
  cwd: string;
  workspace: { path: string; realPath: string };
  maxFileBytes: number;
  disabledRules: readonly string[];
  /** The whole analysis stops after this long; what was analysed is kept and the rest reported. */
  timeoutMs: number;
  /** `auth` from the configuration: extra authentication middleware/guard names, public routes. */
  auth: { middleware: readonly string[]; publicRoutes: readonly string[] };
  /** Only build the route table (`apiguard routes`). */
  skipRules?: boolean;
}

export interface CodeAnalysis {
  findings: RawFinding[];
  routes: Route[];
  /** Files analysed, relative to the working directory. */
  files: string[];
}

export interface CodeRunOptions extends CodeAnalysisOptions {
  /** The bundled worker script; without it the engine runs in this thread, with no memory bound. */
  workerFile?: string;
  memoryMb: number;
}

/** A hard stop after the soft deadline, for a worker stuck inside one file. */
const GRACE_MS = 30_000;

export async function analyseCode(files: CodeFiles, options: CodeRunOptions): Promise<CodeAnalysis> {
  if (files.sources.length === 0) return { findings: [], routes: [], files: [] };
  const { workerFile, memoryMb, ...analysisOptions } = options;
  if (!workerFile) {
    const { analyseCodeInProcess } = await import('./engine.ts');
    return analyseCodeInProcess(files, analysisOptions);
  }
  return new Promise((resolve) => {
    const worker = new Worker(workerFile, {
      workerData: { files, options: analysisOptions },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      stdout: true,
    });
    worker.stdout.pipe(process.stderr);
    let settled = false;
    const settle = (analysis: CodeAnalysis) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(analysis);
    };
    const failed = (why: string) =>
      settle({
        findings: [
          {
            ruleId: CODE_ENGINE_RULES.analysisIncomplete.id,
            severity: CODE_ENGINE_RULES.analysisIncomplete.severity,
            message: `The code analysis did not complete: ${why}. No route of the ${files.sources.length} source files was checked.`,
            file: relativePath(options.cwd, files.sources[0]!),
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 1,
            cwe: CODE_ENGINE_RULES.analysisIncomplete.cwe,
            owasp: CODE_ENGINE_RULES.analysisIncomplete.owasp,
            category: CODE_ENGINE_RULES.analysisIncomplete.category,
            engine: 'code',
            anchor: 'code-analysis',
          },
        ],
        routes: [],
        files: [],
      });
    const timer = setTimeout(
      () =>
        failed(
          `it took longer than ${Math.round((options.timeoutMs + GRACE_MS) / 1000)} s (limits.timeoutSeconds)`,
        ),
      options.timeoutMs + GRACE_MS,
    );
    worker.on('message', (reply: CodeWorkerReply) => {
      if ('error' in reply) failed(`apiguard failed (${reply.error.split('\n')[0]})`);
      else settle(reply.analysis);
    });
    worker.on('error', (error: Error & { code?: string }) =>
      failed(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it needed more than ${memoryMb} MB of memory (limits.memoryMb)`
          : `apiguard failed (${error.message})`,
      ),
    );
    worker.on('exit', () => failed('the analysis stopped unexpectedly'));
  });
}
