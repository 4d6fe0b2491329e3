import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RawFinding } from '../../findings/finding.ts';
import { ENGINE_RULES } from './diagnostics.ts';
import { fileLevelFinding, SpecLinter, type SpecLintOptions } from './lint.ts';
import type { LintReply } from './worker.ts';

export interface SpecAnalysisOptions extends SpecLintOptions {
  /** The bundled worker script; without it files are linted in this thread, with no time or memory bound. */
  workerFile?: string;
  timeoutMs: number;
  memoryMb: number;
  onProgress?: (done: number, total: number) => void;
}

/** Lints every spec file; a file that fails, times out or exhausts memory becomes a finding for that file. */
export async function analyseSpecs(
  files: readonly string[],
  options: SpecAnalysisOptions,
): Promise<RawFinding[]> {
  if (files.length === 0) return [];
  return options.workerFile
    ? lintInWorkers(files, options, options.workerFile)
    : lintInProcess(files, options);
}

function lintOptions(options: SpecAnalysisOptions): SpecLintOptions {
  const { cwd, workspace, maxFileBytes, disabledRules, userRuleset, allowCustomFunctions } = options;
  return {
    cwd,
    workspace,
    maxFileBytes,
    disabledRules,
    allowCustomFunctions,
    ...(userRuleset ? { userRuleset } : {}),
  };
}

function incomplete(options: SpecAnalysisOptions, file: string, why: string): RawFinding {
  return fileLevelFinding(
    options.cwd,
    file,
    ENGINE_RULES.analysisIncomplete,
    `The file was not fully checked: ${why}.`,
  );
}

async function lintInProcess(files: readonly string[], options: SpecAnalysisOptions): Promise<RawFinding[]> {
  const linter = await SpecLinter.create(lintOptions(options));
  const findings: RawFinding[] = [];
  for (const [index, file] of files.entries()) {
    try {
      findings.push(...(await linter.lint(file)));
    } catch (error) {
      findings.push(incomplete(options, file, `apiguard failed on it (${String(error)})`));
    }
    options.onProgress?.(index + 1, files.length);
  }
  return findings;
}

/**
 * Runs files through a small pool of worker threads. Each file gets a time limit and each worker a heap
 * limit; a worker that exceeds either is terminated and replaced, and the other files go on.
 */
function lintInWorkers(
  files: readonly string[],
  options: SpecAnalysisOptions,
  workerFile: string,
): Promise<RawFinding[]> {
  const queue = [...files];
  const findings: RawFinding[] = [];
  const poolSize = Math.min(files.length, Math.max(1, Math.min(availableParallelism(), 4)));
  let done = 0;
  let running = 0;

  return new Promise((resolve) => {
    const finishFile = () => {
      done++;
      options.onProgress?.(done, files.length);
    };

    const startWorker = () => {
      const file = queue.shift();
      if (file === undefined) {
        if (running === 0) resolve(findings);
        return;
      }
      running++;
      const worker = new Worker(workerFile, {
        workerData: lintOptions(options),
        resourceLimits: { maxOldGenerationSizeMb: options.memoryMb },
        // Whatever a library prints must not corrupt a report written to stdout.
        stdout: true,
      });
      worker.stdout.pipe(process.stderr);
      let current: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;

      const next = () => {
        current = queue.shift();
        if (current === undefined) return stop();
        worker.postMessage({ file: current });
        timer = setTimeout(
          () => fail(`it took longer than ${options.timeoutMs / 1000} s (limits.timeoutSeconds)`),
          options.timeoutMs,
        );
      };
      const stop = () => {
        if (stopped) return;
        stopped = true;
        clearTimeout(timer);
        void worker.terminate();
        running--;
        startWorker();
      };
      const fail = (why: string) => {
        if (stopped) return;
        if (current !== undefined) {
          findings.push(incomplete(options, current, why));
          finishFile();
          current = undefined;
        }
        stop();
      };

      worker.on('message', (reply: LintReply) => {
        clearTimeout(timer);
        if ('error' in reply)
          findings.push(
            incomplete(options, reply.file, `apiguard failed on it (${reply.error.split('\n')[0]})`),
          );
        else findings.push(...(reply.findings as RawFinding[]));
        finishFile();
        next();
      });
      worker.on('error', (error: Error & { code?: string }) =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `it needed more than ${options.memoryMb} MB of memory (limits.memoryMb)`
            : `apiguard failed on it (${error.message})`,
        ),
      );
      worker.on('exit', () => fail('the analysis stopped unexpectedly'));

      queue.unshift(file);
      next();
    };

    for (let index = 0; index < poolSize; index++) startWorker();
  });
}
