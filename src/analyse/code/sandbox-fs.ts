import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FileSystemHost, RuntimeDirEntry } from 'ts-morph';
import { isInside } from '../../workspace.ts';

/**
 * The file system the TypeScript compiler sees while apiguard analyses a repository: read-only, confined to the
 * workspace on the real path (a symbolic link cannot lead it out), and without dependencies. Files under
 * `node_modules` do not exist for it unless they are links into the repository (monorepo packages), so module
 * resolution stays within the repository's own code and never loads megabytes of `.d.ts`.
 */
export class SandboxFileSystem implements FileSystemHost {
  readonly #workspaceRealPath: string;
  readonly #maxFileBytes: number;
  readonly #cwd: string;

  constructor(workspaceRealPath: string, maxFileBytes: number, cwd: string) {
    this.#workspaceRealPath = workspaceRealPath;
    this.#maxFileBytes = maxFileBytes;
    this.#cwd = cwd;
  }

  // Module resolution asks about the same paths many times; the repository does not change during a run.
  readonly #realPaths = new Map<string, string | null>();
  readonly #files = new Map<string, string | null>();
  readonly #directories = new Map<string, boolean>();

  /** The real path when it lies inside the workspace, otherwise undefined. */
  #confined(path: string): string | undefined {
    let real = this.#realPaths.get(path);
    if (real === undefined) {
      try {
        const resolved = realpathSync(path);
        real = isInside(this.#workspaceRealPath, resolved) ? resolved : null;
      } catch {
        real = null;
      }
      this.#realPaths.set(path, real);
    }
    return real ?? undefined;
  }

  #readableFile(path: string): string | undefined {
    let readable = this.#files.get(path);
    if (readable === undefined) {
      readable = null;
      const real = this.#confined(path);
      if (real && !real.split(sep).includes('node_modules')) {
        try {
          const stats = statSync(real);
          if (stats.isFile() && stats.size <= this.#maxFileBytes) readable = real;
        } catch {
          // missing: not readable
        }
      }
      this.#files.set(path, readable);
    }
    return readable ?? undefined;
  }

  isCaseSensitive(): boolean {
    return process.platform !== 'win32' && process.platform !== 'darwin';
  }

  readFileSync(filePath: string): string {
    const real = this.#readableFile(filePath);
    if (!real) throw Object.assign(new Error(`ENOENT: ${filePath}`), { code: 'ENOENT' });
    return readFileSync(real, 'utf8');
  }

  async readFile(filePath: string): Promise<string> {
    return this.readFileSync(filePath);
  }

  fileExistsSync(filePath: string): boolean {
    return this.#readableFile(filePath) !== undefined;
  }

  async fileExists(filePath: string): Promise<boolean> {
    return this.fileExistsSync(filePath);
  }

  directoryExistsSync(dirPath: string): boolean {
    let exists = this.#directories.get(dirPath);
    if (exists === undefined) {
      const real = this.#confined(dirPath);
      try {
        exists = !!real && statSync(real).isDirectory();
      } catch {
        exists = false;
      }
      this.#directories.set(dirPath, exists);
    }
    return exists;
  }

  async directoryExists(dirPath: string): Promise<boolean> {
    return this.directoryExistsSync(dirPath);
  }

  /** Directories are never listed: files come from discovery, and walking `node_modules` is what makes tools slow. */
  readDirSync(_dirPath: string): RuntimeDirEntry[] {
    return [];
  }

  realpathSync(path: string): string {
    return this.#confined(path) ?? path;
  }

  getCurrentDirectory(): string {
    return this.#cwd;
  }

  globSync(): string[] {
    return [];
  }

  async glob(): Promise<string[]> {
    return [];
  }

  #readOnly(): never {
    throw new Error('apiguard never writes to the analysed repository');
  }

  deleteSync(): void {
    this.#readOnly();
  }
  async delete(): Promise<void> {
    this.#readOnly();
  }
  writeFileSync(): void {
    this.#readOnly();
  }
  async writeFile(): Promise<void> {
    this.#readOnly();
  }
  mkdirSync(): void {
    this.#readOnly();
  }
  async mkdir(): Promise<void> {
    this.#readOnly();
  }
  moveSync(): void {
    this.#readOnly();
  }
  async move(): Promise<void> {
    this.#readOnly();
  }
  copySync(): void {
    this.#readOnly();
  }
  async copy(): Promise<void> {
    this.#readOnly();
  }
}

/** Lists a folder's entries inside the workspace (used for Fastify autoload folders), nothing outside. */
export function listFolder(
  dir: string,
  workspaceRealPath: string,
): { name: string; path: string; isDirectory: boolean }[] {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return [];
  }
  if (!isInside(workspaceRealPath, real) || real.split(sep).includes('node_modules')) return [];
  try {
    return readdirSync(real, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .map((entry) => ({ name: entry.name, path: join(real, entry.name), isDirectory: entry.isDirectory() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}
