import { readFileSync } from 'node:fs';

export interface PullRequest {
  number: number;
  /** The pull request's head commit: what check runs and review comments belong to. */
  headSha: string;
  baseSha: string;
  /** From another repository: the token is read-only and secrets are withheld. */
  fromFork: boolean;
}

/** What the run is about, read from the runner's variables and the event payload. Never throws. */
export interface ActionEvent {
  name: string;
  repository?: { owner: string; repo: string };
  /** The commit the findings belong to: the pull request's head, not the merge commit in GITHUB_SHA. */
  sha?: string;
  pullRequest?: PullRequest;
  /** A merge queue's group: its base is where the queued changes start, so they can be told from older code. */
  mergeGroup?: { baseSha: string };
  /** `https://github.com/owner/repo` (or the GHES equivalent), for links. */
  repositoryUrl?: string;
  /** Whether @actions/github can read the payload file (it throws on one that is not JSON). */
  payloadReadable: boolean;
  /** What was odd about the payload, to say in the log; the run goes on without what is missing. */
  problems: string[];
}

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const NO_COMMIT = /^0+$/;

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function sha(value: unknown): string | undefined {
  return typeof value === 'string' && SHA.test(value) && !NO_COMMIT.test(value) ? value : undefined;
}

function readPayload(path: string | undefined, problems: string[]): { payload: Json; readable: boolean } {
  if (!path) return { payload: {}, readable: true };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push('The event payload file (GITHUB_EVENT_PATH) cannot be read.');
    return { payload: {}, readable: true };
  }
  try {
    const payload = object(JSON.parse(text));
    if (!payload) problems.push('The event payload is not a JSON object.');
    return { payload: payload ?? {}, readable: true };
  } catch {
    problems.push('The event payload (GITHUB_EVENT_PATH) is not valid JSON.');
    return { payload: {}, readable: false };
  }
}

function readPullRequest(payload: Json, problems: string[]): PullRequest | undefined {
  const pr = object(payload.pull_request);
  const head = object(pr?.head);
  const base = object(pr?.base);
  const number = pr?.number ?? payload.number;
  const headSha = sha(head?.sha);
  const baseSha = sha(base?.sha);
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || !headSha || !baseSha) {
    problems.push(
      'The event payload has no usable pull_request (number, head.sha, base.sha): reporting without pull request comments or diff filtering.',
    );
    return undefined;
  }
  const headRepo = object(head?.repo)?.full_name;
  const baseRepo = object(base?.repo)?.full_name;
  // A deleted fork leaves head.repo null.
  const fromFork = typeof headRepo !== 'string' || headRepo !== baseRepo;
  return { number, headSha, baseSha, fromFork };
}

export function readEvent(env: NodeJS.ProcessEnv = process.env): ActionEvent {
  const problems: string[] = [];
  const name = env.GITHUB_EVENT_NAME || 'unknown';
  const { payload, readable } = readPayload(env.GITHUB_EVENT_PATH, problems);

  const [owner, repo, ...extra] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const fullName = object(payload.repository)?.full_name;
  const [payloadOwner, payloadRepo] = typeof fullName === 'string' ? fullName.split('/') : [];
  const repository =
    owner && repo && extra.length === 0
      ? { owner, repo }
      : payloadOwner && payloadRepo
        ? { owner: payloadOwner, repo: payloadRepo }
        : undefined;
  if (!repository) problems.push('GITHUB_REPOSITORY is not set: nothing can be posted to GitHub.');

  const pullRequest = PULL_REQUEST_EVENTS.has(name) ? readPullRequest(payload, problems) : undefined;
  const group = name === 'merge_group' ? object(payload.merge_group) : undefined;
  const groupBase = sha(group?.base_sha);
  const commit =
    pullRequest?.headSha ??
    (name === 'push' ? sha(payload.after) : undefined) ??
    sha(group?.head_sha) ??
    sha(env.GITHUB_SHA);
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return {
    name,
    ...(repository ? { repository, repositoryUrl: `${server}/${repository.owner}/${repository.repo}` } : {}),
    ...(commit ? { sha: commit } : {}),
    ...(pullRequest ? { pullRequest } : {}),
    ...(groupBase ? { mergeGroup: { baseSha: groupBase } } : {}),
    payloadReadable: readable,
    problems,
  };
}
