/** Entry of a worker thread that lints spec files, so a hostile file can be stopped without losing the run. */
import { parentPort, workerData } from 'node:worker_threads';
import { SpecLinter, type SpecLintOptions } from './lint.ts';

export interface LintRequest {
  file: string;
}

export type LintReply = { file: string; findings: unknown[] } | { file: string; error: string };

const port = parentPort;
if (port) {
  const linter = await SpecLinter.create(workerData as SpecLintOptions);
  port.on('message', async ({ file }: LintRequest) => {
    try {
      port.postMessage({ file, findings: await linter.lint(file) } satisfies LintReply);
    } catch (error) {
      port.postMessage({
        file,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}
