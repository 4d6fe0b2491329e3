import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import type { Finding } from '../findings/finding.ts';
import type { ScanResult } from '../findings/result.ts';

/**
 * Which findings a pull request (or `--changed-since`) is answerable for, with reviewdog's names:
 * `added` lines it adds or changes, `diff_context` any line its diff shows, `file` files it touches, `nofilter` all.
 */
export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';
export const FILTER_MODES: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

/** Lines of the new version of one file, 1-based. */
export interface FileChanges {
  /** Lines the change adds or modifies. */
  added: Set<number>;
  /** Every line the diff shows: added lines and their context (the lines review comments may target). */
  shown: Set<number>;
}

/**
 * Changed files by path relative to the workspace. `unknown` marks a changed file whose lines could not be
 * determined (a diff too large for the API): every line of it counts as changed, so nothing is lost.
 */
export type ChangedFiles = Map<string, FileChanges | 'unknown'>;

export interface DiffFilter {
  mode: FilterMode;
  files: ChangedFiles;
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** Reads the hunks of one file's unified diff (GitHub's `patch` field, or one file's part of `git diff`). */
export function parsePatch(patch: string): FileChanges {
  const changes: FileChanges = { added: new Set(), shown: new Set() };
  let line = 0;
  let remaining = 0;
  for (const text of patch.split('\n')) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      line = Number(header[1]);
      remaining = header[2] === undefined ? 1 : Number(header[2]);
      continue;
    }
    if (remaining <= 0) continue;
    if (text.startsWith('+')) changes.added.add(line);
    else if (!text.startsWith(' ') && text !== '') continue; // `-` lines and `\ No newline at end of file`
    changes.shown.add(line);
    line++;
    remaining--;
  }
  return changes;
}

/** Splits `git diff` output into files (new paths), each with its hunks; deleted files are left out. */
export function parseUnifiedDiff(diff: string): ChangedFiles {
  const files: ChangedFiles = new Map();
  for (const section of diff.split(/^(?=diff --git )/m)) {
    const target = /^\+\+\+ (.+?)\t?$/m.exec(section)?.[1];
    if (!target || target === '/dev/null') continue;
    // parsePatch skips the header lines before the first hunk.
    files.set(unquoteGitPath(target).replace(/^b\//, ''), parsePatch(section));
  }
  return files;
}

/** Git quotes paths with unusual characters C-style: `"b/caf\303\251 \"x\".yaml"`. */
function unquoteGitPath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1))?.[0];
    if (octal) {
      bytes.push(Number.parseInt(octal, 8));
      i += 3;
    } else {
      bytes.push(escapes[body[i + 1] ?? ''] ?? 92);
      i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Changed lines from `git diff <args>` run in the workspace, paths relative to it. `includeUntracked` also counts
 * files git does not track yet as wholly added (a new spec not yet `git add`ed is part of a local change).
 * Throws with git's message when git fails (not a repository, unknown revision, shallow clone).
 */
export function changedLinesFromGit(
  workspace: string,
  diffArgs: readonly string[],
  options: { includeUntracked?: boolean } = {},
): ChangedFiles {
  const option = diffArgs.find((arg) => arg.startsWith('-'));
  if (option !== undefined) throw new Error(`"${option}" is not a git revision`);
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: workspace,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let files: ChangedFiles;
  try {
    files = parseUnifiedDiff(
      git([
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--unified=3',
        '--relative',
        // A user's diff.noprefix or diff.mnemonicPrefix would change the `b/` the parser strips.
        '--src-prefix=a/',
        '--dst-prefix=b/',
        ...diffArgs,
        '--',
      ]),
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`git diff ${diffArgs.join(' ')} failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
  }
  if (options.includeUntracked) {
    for (const path of git(['ls-files', '--others', '--exclude-standard', '-z']).split('\0')) {
      if (path) files.set(path, 'unknown');
    }
  }
  return files;
}

/** The path a finding has in the changed-files map: relative to the workspace rather than the working directory. */
export function workspacePath(result: Pick<ScanResult, 'cwdInWorkspace'>, finding: Finding): string {
  return posix.join(result.cwdInWorkspace, finding.file);
}

/** Whether the change is answerable for a finding under `mode` (its first line decides, as in reviewdog). */
export function isInDiff(filter: DiffFilter, path: string, line: number): boolean {
  if (filter.mode === 'nofilter') return true;
  const changes = filter.files.get(path);
  if (changes === undefined) return false;
  if (changes === 'unknown' || filter.mode === 'file') return true;
  return (filter.mode === 'added' ? changes.added : changes.shown).has(line);
}

/** Whether a review comment may target this line: GitHub answers 422 for lines outside the diff. */
export function isCommentable(files: ChangedFiles, path: string, line: number): boolean {
  const changes = files.get(path);
  return changes !== undefined && changes !== 'unknown' && changes.shown.has(line);
}

/**
 * Keeps what the change is answerable for. The threshold is applied to the result, so only what a pull request
 * introduces can fail it. `outside` counts the findings left out.
 */
export function filterToDiff(
  result: ScanResult,
  filter: DiffFilter,
): { result: ScanResult; outside: number } {
  const keep = (finding: Finding) => isInDiff(filter, workspacePath(result, finding), finding.line);
  const findings = result.findings.filter(keep);
  return {
    result: { ...result, findings, suppressed: result.suppressed.filter(keep) },
    outside: result.findings.length - findings.length,
  };
}
