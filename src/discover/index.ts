import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { isInside } from '../workspace.ts';

export interface DiscoverOptions {
  /** Files and folders to scan, absolute. */
  paths: readonly string[];
  /** The workspace root: globs are matched against paths relative to it. */
  root: string;
  include?: readonly string[];
  exclude?: readonly string[];
}

/** What each engine gets to read; all absolute paths, sorted. */
export interface DiscoveredFiles {
  /** OpenAPI root documents. */
  specs: string[];
  /** TypeScript and JavaScript sources (not declaration files or minified bundles). */
  sources: string[];
  /** `tsconfig*.json` files: a monorepo has several projects. */
  tsconfigs: string[];
  /** Configuration and text files that commonly carry credentials (`.env`, YAML/JSON/TOML config, keys). */
  secretFiles: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
}

/** Vendored code, dependencies and build output: scanning them reports other people's problems. */
export const DEFAULT_EXCLUDES = [
  '**/node_modules/**',
  '**/.git/**',
  '**/vendor/**',
  '**/third_party/**',
  '**/bower_components/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/coverage/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.turbo/**',
  '**/.cache/**',
];

const SKIPPED_DIRS = new Set(DEFAULT_EXCLUDES.map((glob) => glob.split('/')[1]));

const SPEC_NAME = /^(openapi|swagger)([.\-_][^/]*)?\.(ya?ml|json)$|\.(oas|openapi|swagger)\.(ya?ml|json)$/i;
const DATA_FILE = /\.(ya?ml|json)$/i;
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
const NOT_SOURCE = /\.d\.[cm]?ts$|\.min\.js$/i;
const TSCONFIG = /^tsconfig(\..+)?\.json$/i;
const SECRET_FILE =
  /^(\.env(\..+)?|\.npmrc|docker-compose.*\.ya?ml|compose\.ya?ml|.+\.(ya?ml|json|toml|pem|key))$/i;
/** Generated files full of hashes that look random and are not secrets. */
const LOCKFILE =
  /^(package-lock|npm-shrinkwrap|yarn|pnpm-lock|composer|Gemfile|Cargo|poetry)\.(json|lock|ya?ml)$|^bun\.lockb?$/i;
const SNIFF_BYTES = 64 * 1024;
const YAML_ROOT_KEY = /^(?:openapi\s*:\s*['"]?3\.|swagger\s*:\s*['"]?2\.0)/m;
const JSON_ROOT_KEY = /"(?:openapi"\s*:\s*"3\.|swagger"\s*:\s*"2\.0)/;

/** Whether a YAML/JSON file is an OpenAPI document: by name, or by a top-level `openapi`/`swagger` key. */
export function isSpecFile(path: string): boolean {
  if (SPEC_NAME.test(basename(path))) return true;
  if (!DATA_FILE.test(path)) return false;
  const head = readHead(path);
  return path.toLowerCase().endsWith('.json') ? JSON_ROOT_KEY.test(head) : YAML_ROOT_KEY.test(head);
}

function readHead(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const length = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Files git would commit (tracked, or new and not ignored), or undefined outside a git checkout. */
function gitFiles(root: string, paths: readonly string[]): string[] | undefined {
  try {
    const output = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate', '--', ...paths],
      { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return output
      .split('\0')
      .filter(Boolean)
      .map((file) => resolve(root, file));
  } catch {
    return undefined;
  }
}

function walk(dir: string, found: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) walk(path, found);
    } else if (entry.isFile() || entry.isSymbolicLink()) found.push(path);
  }
}

export function discoverFiles(options: DiscoverOptions): DiscoveredFiles {
  const { root } = options;
  const missing: string[] = [];
  const explicitFiles = new Set<string>();
  const dirs: string[] = [];
  for (const given of options.paths) {
    const path = resolve(root, given);
    let stats: import('node:fs').Stats;
    try {
      stats = statSync(path);
    } catch {
      missing.push(given);
      continue;
    }
    if (stats.isDirectory()) dirs.push(path);
    else explicitFiles.add(path);
  }

  const candidates = new Set<string>(explicitFiles);
  if (dirs.length > 0) {
    const relativeDirs = dirs.map((dir) => relative(root, dir) || '.');
    const listed = gitFiles(root, relativeDirs);
    if (listed) for (const file of listed) candidates.add(file);
    else for (const dir of dirs) walkInto(dir, candidates);
  }

  const exclude = [...DEFAULT_EXCLUDES, ...(options.exclude ?? [])];
  const matches = (file: string, globs: readonly string[]) => {
    const rel = relative(root, file).split(sep).join('/');
    return globs.some((glob) => minimatch(rel, glob, { dot: true, matchBase: !glob.includes('/') }));
  };
  const realRoot = realpathSync(root);
  const found: Omit<DiscoveredFiles, 'missing'> = { specs: [], sources: [], tsconfigs: [], secretFiles: [] };
  for (const file of [...candidates].sort()) {
    // A file named on the command line is scanned even if a default exclude would skip it.
    if (!explicitFiles.has(file)) {
      if (matches(file, exclude)) continue;
      if (options.include && options.include.length > 0 && !matches(file, options.include)) continue;
    } else if (options.exclude && matches(file, options.exclude)) continue;
    if (!existsSync(file)) continue;
    const name = basename(file);
    // Never read a file a symbolic link takes out of the workspace; one named like a spec is passed on
    // so the engine reports the refusal.
    if (!isInside(realRoot, realpathSync(file))) {
      if (SPEC_NAME.test(name)) found.specs.push(file);
      continue;
    }
    if (SOURCE_FILE.test(name)) {
      if (!NOT_SOURCE.test(name)) found.sources.push(file);
    } else if (DATA_FILE.test(name) && isSpecFile(file)) found.specs.push(file);
    else {
      if (TSCONFIG.test(name)) found.tsconfigs.push(file);
      if (SECRET_FILE.test(name) && !LOCKFILE.test(name)) found.secretFiles.push(file);
    }
  }
  return { ...found, missing };
}

function walkInto(dir: string, into: Set<string>): void {
  const found: string[] = [];
  walk(dir, found);
  for (const file of found) into.add(file);
}
