import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Project, ts } from 'ts-morph';
import { relativePath } from '../../findings/paths.ts';
import type { SandboxFileSystem } from './sandbox-fs.ts';

/** Source files that share compiler options (their nearest `tsconfig*.json`), analysed as one program. */
export interface SourceGroup {
  tsconfig?: string;
  /** Real paths. */
  files: string[];
}

/**
 * Assigns every source file to the nearest tsconfig in its folder or above (preferring `tsconfig.json` over
 * `tsconfig.build.json` and the like in the same folder); files with none share default options. Monorepos get
 * one program per package, each with its own `paths` aliases.
 */
export function groupSources(sources: readonly string[], tsconfigs: readonly string[]): SourceGroup[] {
  const configByDir = new Map<string, string>();
  for (const config of [...tsconfigs].sort((a, b) => rankConfig(a) - rankConfig(b) || a.localeCompare(b))) {
    const dir = dirname(config);
    if (!configByDir.has(dir)) configByDir.set(dir, config);
  }
  const groups = new Map<string, SourceGroup>();
  for (const file of sources) {
    let dir = dirname(file);
    let config: string | undefined;
    for (;;) {
      config = configByDir.get(dir);
      if (config || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    const key = config ?? '';
    const group = groups.get(key) ?? { ...(config ? { tsconfig: config } : {}), files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const TEST_FILE =
  /(^|\/)(__tests__|__mocks__|__fixtures__|tests?|e2e|cypress|playwright|spec)\/|\.(test|spec|e2e|stories)\.[^/]+$/;

/**
 * Tests and mocks register routes too (`app.get('/error', ...)` to exercise an error handler): not endpoints of
 * the application. Judged on the path inside the file's project (its tsconfig's folder), so that scanning a
 * folder that happens to live under `test/` still works.
 */
export function extractableFiles(
  group: SourceGroup,
  workspaceRealPath: string,
  readFile: (path: string) => string | undefined,
): string[] {
  const root = group.tsconfig ? dirname(group.tsconfig) : workspaceRealPath;
  return group.files.filter((file) => {
    if (TEST_FILE.test(relative(root, file).split(sep).join('/'))) return false;
    if (NEXT_FILE.test(file)) return true;
    const text = readFile(file);
    return text !== undefined && ROUTING_TEXT.test(text);
  });
}

/**
 * Text that route registration, middleware wiring or guards need. Files without any are not analysed as roots
 * (most of a front-end monorepo); the program still loads them when an analysed file imports them.
 */
const ROUTING_TEXT =
  /\.(get|post|put|patch|delete|del|all|options|head|use|route|routes|register|addHook|decorate|on|onError|setErrorHandler|basePath|query|mutation|subscription)\s*(<[^>\n]*>)?\s*\(|@(Controller|Resolver|Catch)\b|APP_GUARD|APP_PIPE|useGlobal(Guards|Pipes|Filters)|enableCors|setGlobalPrefix|forRoutes|createTRPCRouter|\brouter\s*\(|fetchRequestHandler|createNextApiHandler/;
const NEXT_FILE =
  /[\\/](app[\\/].*[\\/]route|pages[\\/]api[\\/].*|(src[\\/])?(middleware|proxy))\.[cm]?[jt]sx?$/;

function rankConfig(path: string): number {
  const name = basename(path);
  return name === 'tsconfig.json' ? 0 : /^tsconfig\.(app|server|lib|src)\.json$/.test(name) ? 1 : 2;
}

/**
 * Compiler options from a tsconfig (with its `extends` chain, read through the sandbox), adjusted for analysis:
 * JavaScript included, no type roots or lib files (the analysis needs symbols, not library types), no output.
 */
export function compilerOptionsFor(tsconfig: string | undefined, fs: SandboxFileSystem): ts.CompilerOptions {
  let options: ts.CompilerOptions = {};
  if (tsconfig) {
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: fs.isCaseSensitive(),
      readDirectory: () => [],
      fileExists: (path) => fs.fileExistsSync(path),
      readFile: (path) => {
        try {
          return fs.readFileSync(path);
        } catch {
          return undefined;
        }
      },
    };
    const read = ts.readConfigFile(tsconfig, host.readFile);
    if (read.config && typeof read.config === 'object') {
      options = ts.parseJsonConfigFileContent(
        read.config,
        host,
        dirname(tsconfig),
        undefined,
        tsconfig,
      ).options;
    }
  }
  // Module resolution settings are kept (`paths` also carries its base folder in an internal option);
  // everything about output, type roots, plugins and incremental builds is dropped.
  const {
    typeRoots,
    types,
    lib,
    plugins,
    incremental,
    composite,
    tsBuildInfoFile,
    outDir,
    declaration,
    declarationDir,
    ...kept
  } = options;
  return {
    ...kept,
    jsx: kept.jsx ?? ts.JsxEmit.Preserve,
    target: kept.target ?? ts.ScriptTarget.ESNext,
    module: kept.module ?? ts.ModuleKind.ESNext,
    moduleResolution: kept.moduleResolution ?? ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    checkJs: false,
    noEmit: true,
    types: [],
    noLib: true,
    skipLibCheck: true,
    resolveJsonModule: false,
    allowArbitraryExtensions: false,
  };
}

export interface LoadedProgram {
  project: Project;
  program: ts.Program;
  checker: ts.TypeChecker;
}

/**
 * A program over the group's files (and the repository files they import). Type errors are irrelevant: the
 * analysis asks the checker for symbols only, which works on code that does not compile.
 */
export function loadProgram(group: SourceGroup, fs: SandboxFileSystem): LoadedProgram {
  const project = new Project({
    compilerOptions: compilerOptionsFor(group.tsconfig, fs),
    fileSystem: fs,
    skipLoadingLibFiles: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  for (const file of group.files) project.addSourceFileAtPath(file);
  const program = project.getProgram().compilerObject;
  return { project, program, checker: program.getTypeChecker() };
}

/** Maps real paths back to the paths the user sees (the workspace may be reached through a symbolic link). */
export class PathMapper {
  readonly #workspace: string;
  readonly #workspaceRealPath: string;

  constructor(workspace: string, workspaceRealPath: string) {
    this.#workspace = workspace;
    this.#workspaceRealPath = workspaceRealPath;
  }

  toReal(path: string): string {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  }

  /** How findings and routes name a file: relative to the working directory, `/`-separated. */
  display(cwd: string, realPath: string): string {
    return relativePath(cwd, this.toWorkspace(realPath));
  }

  toWorkspace(realPath: string): string {
    const rel = relative(this.#workspaceRealPath, realPath);
    return rel.startsWith('..') ? realPath : join(this.#workspace, rel.split('/').join(sep));
  }
}
