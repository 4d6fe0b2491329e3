import { type ChangedFiles, changedLinesFromGit, parsePatch } from '../filter/diff.ts';
import type { GitHubClient } from './client.ts';
import { describeError } from './errors.ts';
import type { PullRequest } from './event.ts';

/** GET /pulls/{n}/files lists at most this many files; a longer list is cut short. */
export const MAX_LISTED_FILES = 3000;

export interface ChangedLines {
  /** Undefined when neither GitHub nor git could tell. */
  files?: ChangedFiles;
  /** Where the lines came from when it was not GitHub's list, and why; said in the log and the summary. */
  notes: string[];
}

interface ListedFile {
  filename: string;
  status: string;
  changes: number;
  patch?: string;
}

async function listFiles(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  pr: PullRequest,
): Promise<{ files: ListedFile[] } | { failed: string }> {
  const files: ListedFile[] = [];
  try {
    await client.paginate(
      client.rest.pulls.listFiles,
      { ...repository, pull_number: pr.number, per_page: 100 },
      (response, done) => {
        files.push(...response.data);
        if (files.length >= MAX_LISTED_FILES) done();
        return [];
      },
    );
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      failed:
        status === 406
          ? 'GitHub answered 406: the diff is too large for the API'
          : `GitHub could not list the changed files (${describeError(error)})`,
    };
  }
  return { files };
}

/** A file whose patch GitHub left out has lines no one can name: all of them count as changed. */
function fromListing(files: readonly ListedFile[]): ChangedFiles {
  return new Map(
    files.map((file) => [
      file.filename,
      file.patch === undefined && file.changes > 0 ? 'unknown' : parsePatch(file.patch ?? ''),
    ]),
  );
}

/** The changes between two commits of the checkout; needs both, so a shallow clone fails (said in the message). */
function gitDiff(
  workspace: string,
  base: string,
  head: string,
): { files: ChangedFiles } | { failed: string } {
  try {
    return { files: changedLinesFromGit(workspace, [`${base}...${head}`]) };
  } catch (error) {
    return {
      failed: `${(error as Error).message}; check out with \`fetch-depth: 0\` so the base commit is present`,
    };
  }
}

/** The lines a merge queue's group changes: GitHub lists no files for it, so they come from git. */
export function readMergeGroupChangedLines(
  workspace: string,
  baseSha: string,
  headSha: string,
): ChangedLines {
  const fromGit = gitDiff(workspace, baseSha, headSha);
  return 'files' in fromGit
    ? { files: fromGit.files, notes: [] }
    : {
        notes: [
          `Could not tell which lines the merge group changes (${fromGit.failed}): every finding is reported.`,
        ],
      };
}

/**
 * The lines a pull request changes: GitHub's file list with each file's patch (no checkout history needed);
 * `git diff base...head` in the workspace where GitHub cannot say (406, a patch left out, over 3,000 files).
 * When neither can, files whose lines are unknown count as wholly changed: no finding is lost.
 */
export async function readChangedLines(
  client: GitHubClient | undefined,
  repository: { owner: string; repo: string } | undefined,
  pr: PullRequest,
  workspace: string,
): Promise<ChangedLines> {
  const listed =
    client && repository ? await listFiles(client, repository, pr) : { failed: 'no GitHub token was given' };
  // Every changed file, unless GitHub failed or cut the list short.
  const files = 'files' in listed && listed.files.length < MAX_LISTED_FILES ? listed.files : undefined;
  const missing = files?.filter((file) => file.patch === undefined && file.changes > 0) ?? [];
  const gitReason =
    'failed' in listed
      ? listed.failed
      : !files
        ? `GitHub lists at most ${MAX_LISTED_FILES.toLocaleString('en')} changed files`
        : missing.length > 0
          ? `GitHub left out the diff of ${missing.length === 1 ? missing[0]!.filename : `${missing.length} files`} (too large)`
          : undefined;
  if (files && gitReason === undefined) return { files: fromListing(files), notes: [] };

  const fromGit = gitDiff(workspace, pr.baseSha, pr.headSha);
  if ('files' in fromGit) {
    return {
      files: fromGit.files,
      notes: [`Changed lines come from \`git diff base...head\`: ${gitReason}.`],
    };
  }
  if (!files) {
    return {
      notes: [
        `Could not tell which lines the pull request changes (${gitReason}; ${fromGit.failed}): every finding is reported.`,
      ],
    };
  }
  return {
    files: fromListing(files),
    notes: [`${gitReason}, and ${fromGit.failed}: every finding in those files counts as on a changed line.`],
  };
}
