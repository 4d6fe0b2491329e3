import { type ChangedFiles, changedLinesFromGit, parsePatch } from '../filter/diff.ts';
import type { GitHubClient } from './client.ts';
import type { PullRequest } from './event.ts';
import { describeError } from './errors.ts';

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

type Listing = { files: ListedFile[] } | { failed: string };

async function listFiles(client: GitHubClient, repository: { owner: string; repo: string }, pr: PullRequest) {
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
    } satisfies Listing;
  }
  return { files } satisfies Listing;
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
  const listing: Listing =
    client && repository ? await listFiles(client, repository, pr) : { failed: 'no GitHub token was given' };
  let gitReason: string | undefined;
  if ('failed' in listing) gitReason = listing.failed;
  else if (listing.files.length >= MAX_LISTED_FILES)
    gitReason = `GitHub lists at most ${MAX_LISTED_FILES.toLocaleString('en')} changed files`;
  else {
    const missing = listing.files.filter((file) => file.patch === undefined && file.changes > 0);
    if (missing.length > 0) {
      gitReason = `GitHub left out the diff of ${missing.length === 1 ? missing[0]!.filename : `${missing.length} files`} (too large)`;
    }
  }
  if (gitReason === undefined && !('failed' in listing)) return { files: fromListing(listing.files), notes: [] };

  try {
    const files = changedLinesFromGit(workspace, [`${pr.baseSha}...${pr.headSha}`]);
    return { files, notes: [`Changed lines come from \`git diff base...head\`: ${gitReason}.`] };
  } catch (error) {
    const gitFailure = `${(error as Error).message}; check out with \`fetch-depth: 0\` so the base commit is present`;
    if ('failed' in listing || listing.files.length >= MAX_LISTED_FILES) {
      return {
        notes: [
          `Could not tell which lines the pull request changes (${gitReason}; ${gitFailure}): every finding is reported.`,
        ],
      };
    }
    return {
      files: fromListing(listing.files),
      notes: [
        `${gitReason}, and ${gitFailure}: every finding in those files counts as on a changed line.`,
      ],
    };
  }
}
