import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { expandedYamlSize, MAX_EXPANDED_NODES } from './analyse/openapi/yaml-guard.ts';

/**
 * The workspace is the repository being scanned: apiguard reads nothing outside it. Everything here reads
 * untrusted pull-request content, so paths are checked lexically and on their real path (symlinks).
 */

/** Messages contain these so findings can be classified after Spectral reformats them. */
export const ALIAS_BOMB = 'YAML aliases expand to more than';
export const OUTSIDE_WORKSPACE_BLOCKED = 'outside the workspace; not read';

export interface SafeReadOptions {
  /** The workspace as given and as its real path; nothing outside it is read. */
  workspace: { path: string; realPath: string };
  maxFileBytes: number;
}

export class UnsafeFileError extends Error {}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Reads a spec file only if its real path (symlinks followed) stays in the workspace, it is not larger than
 * the cap and its YAML aliases do not explode: the spec and everything it references come from untrusted
 * pull requests.
 */
export function readWorkspaceFile(path: string, options: SafeReadOptions): string {
  const text = readWorkspaceText(path, options);
  const shown = relative(options.workspace.path, path).split(sep).join('/');
  // Checked here so that files Spectral parses while resolving $refs are guarded too.
  if (!/\.json$/i.test(path) && expandedYamlSize(text) > MAX_EXPANDED_NODES) {
    throw new UnsafeFileError(
      `${shown}: its ${ALIAS_BOMB} ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes (an alias bomb?); not checked`,
    );
  }
  return text;
}

/** Reads a text file (spec or source) only inside the workspace, symlinks followed, under the size cap. */
export function readWorkspaceText(path: string, options: SafeReadOptions): string {
  const { workspace } = options;
  const shown = relative(workspace.path, path).split(sep).join('/');
  // Checked before touching the file system, so errors cannot reveal whether an outside file exists.
  if (!isInside(workspace.path, path) && !isInside(workspace.realPath, path)) {
    throw new UnsafeFileError(`${shown} is ${OUTSIDE_WORKSPACE_BLOCKED}`);
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new UnsafeFileError(`${shown} does not exist`);
  }
  if (!isInside(workspace.realPath, real)) {
    throw new UnsafeFileError(`${shown} is a symbolic link leading ${OUTSIDE_WORKSPACE_BLOCKED}`);
  }
  const { size } = statSync(real);
  if (size > options.maxFileBytes) {
    throw new UnsafeFileError(
      `${shown} is ${formatBytes(size)}, over the ${formatBytes(options.maxFileBytes)} limit (limits.maxFileSizeMb)`,
    );
  }
  const content = readFileSync(real);
  if (content.includes(0)) {
    throw new UnsafeFileError(`${shown} has binary content (NUL bytes), not YAML or JSON`);
  }
  return content.toString('utf8');
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The repository root (so `.gitignore` applies and nothing above it is read), or the working directory. */
export function findWorkspace(cwd: string): string {
  const actionsWorkspace = process.env.GITHUB_WORKSPACE;
  if (actionsWorkspace && isInside(resolve(actionsWorkspace), cwd)) return resolve(actionsWorkspace);
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return cwd;
  }
}
