import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resolver } from './spectral.ts';
import { expandedYamlSize, MAX_EXPANDED_NODES } from './yaml-guard.ts';

/** Messages start with these so results can be told apart after Spectral reformats them. */
export const REMOTE_REF_BLOCKED = 'Remote $ref not fetched';
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

interface RefUri {
  scheme(): string;
  path(): string;
  toString(): string;
}

/**
 * A `$ref` resolver that never touches the network and never reads outside the workspace. Every scheme is
 * registered explicitly: the underlying resolver sends any scheme it has no reader for to the file reader.
 */
export function createSafeResolver(options: SafeReadOptions, onRead: (path: string) => void) {
  const refuseRemote = {
    async resolve(ref: RefUri): Promise<string> {
      throw new Error(`${REMOTE_REF_BLOCKED}: ${ref.toString()} (apiguard never fetches over the network)`);
    },
  };
  const file = {
    async resolve(ref: RefUri): Promise<string> {
      const scheme = ref.scheme();
      if (scheme !== '' && scheme !== 'file') return refuseRemote.resolve(ref);
      const path = scheme === 'file' ? fileURLToPath(ref.toString().replace(/#.*$/, '')) : ref.path();
      const content = readWorkspaceFile(path, options);
      onRead(path);
      return content;
    },
  };
  return new Resolver({ resolvers: { http: refuseRemote, https: refuseRemote, file } });
}
