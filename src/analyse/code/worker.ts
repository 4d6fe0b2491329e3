/** Worker thread entry: the code analysis runs here, under the heap limit its parent sets. */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseCodeInProcess } from './engine.ts';
import type { CodeAnalysisOptions, CodeFiles } from './index.ts';

export type CodeWorkerReply = { analysis: ReturnType<typeof analyseCodeInProcess> } | { error: string };

const { files, options } = workerData as { files: CodeFiles; options: CodeAnalysisOptions };
let reply: CodeWorkerReply;
try {
  reply = { analysis: analyseCodeInProcess(files, options) };
} catch (error) {
  reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort!.postMessage(reply);
