import { relative } from 'node:path';

/** How findings name files: relative to the working directory, `/`-separated on every OS. */
export function relativePath(cwd: string, file: string): string {
  return relative(cwd, file).split('\\').join('/');
}
