/**
 * Runs the built action (dist/index.js) the way the runner does: a child process with `INPUT_*` variables
 * (hyphens kept, defaults filled in from action.yml), the GITHUB_* context variables, an event payload file and
 * pre-created GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from '@stoplight/yaml';
import { REPO } from '../../helpers/cli.ts';
import { makeWorkspace } from '../../helpers/workspace.ts';
import type { PullRequestFile } from './github-api.ts';

export const ACTION = join(REPO, 'dist', 'index.js');
export const TOKEN = 'ghs_TestTokenThatMustNeverBePrinted0123456';
export const OWNER = 'acme';
export const REPOSITORY = 'acme/shop';

const actionYml = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  }).trim();
}

export interface Checkout {
  dir: string;
  baseSha: string;
  headSha: string;
  /** The test merge commit a `pull_request` run gets as GITHUB_SHA. */
  mergeSha: string;
}

/** A repository whose default branch holds `base` and whose checked-out branch adds `head` on top. */
export function makeCheckout(base: Record<string, string>, head: Record<string, string>): Checkout {
  const dir = makeWorkspace(base, 'apiguard-action-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return { dir, baseSha, ...commit({ dir, baseSha }, head) };
}

/** Commits more changes on the pull request's branch. */
export function commit(checkout: { dir: string; baseSha: string }, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(checkout.dir, path)), { recursive: true });
    writeFileSync(join(checkout.dir, path), content);
  }
  git(checkout.dir, 'add', '-A');
  git(checkout.dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  const headSha = git(checkout.dir, 'rev-parse', 'HEAD');
  const tree = git(checkout.dir, 'rev-parse', 'HEAD^{tree}');
  const mergeSha = git(
    checkout.dir,
    'commit-tree',
    tree,
    '-p',
    checkout.baseSha,
    '-p',
    headSha,
    '-m',
    'merge',
  );
  return { headSha, mergeSha };
}

/** What GET /pulls/{n}/files answers for the checkout: each file's hunks as GitHub's `patch`. */
export function pullRequestFiles(checkout: Checkout): PullRequestFile[] {
  const range = `${checkout.baseSha}...${checkout.headSha}`;
  return git(checkout.dir, 'diff', '--numstat', range)
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [additions, deletions, filename] = line.split('\t') as [string, string, string];
      const diff = git(checkout.dir, 'diff', range, '--', filename);
      return {
        filename,
        status: 'modified',
        additions: Number(additions),
        deletions: Number(deletions),
        changes: Number(additions) + Number(deletions),
        patch: diff.slice(diff.indexOf('@@')),
      };
    });
}

export function pullRequestEvent(checkout: Checkout, options: { number?: number; fork?: boolean } = {}) {
  const repo = { full_name: REPOSITORY, name: 'shop', owner: { login: OWNER }, fork: false };
  const headRepo = options.fork
    ? { full_name: 'mallory/shop', name: 'shop', owner: { login: 'mallory' }, fork: true }
    : repo;
  return {
    action: 'synchronize',
    number: options.number ?? 7,
    pull_request: {
      number: options.number ?? 7,
      head: { sha: checkout.headSha, ref: 'feature', repo: headRepo },
      base: { sha: checkout.baseSha, ref: 'main', repo },
    },
    repository: repo,
    sender: { login: 'octocat' },
  };
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Workflow-command annotations printed on stdout. */
  annotations: { level: string; properties: string; message: string }[];
}

/** GITHUB_OUTPUT's `name<<delimiter` blocks. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(block)) outputs[match[1]!] = match[3]!;
  return outputs;
}

export async function runAction(options: {
  workspace: string;
  eventName: string;
  /** An object is written as JSON; a string is written as is (to test odd payloads); undefined: no file. */
  payload?: unknown;
  sha: string;
  apiUrl: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<ActionRun> {
  const home = mkdtempSync(join(tmpdir(), 'apiguard-runner-'));
  const files = {
    event: join(home, 'event.json'),
    output: join(home, 'output'),
    summary: join(home, 'summary.md'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  if (options.payload !== undefined) {
    writeFileSync(
      files.event,
      typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload),
    );
  }
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(actionYml.inputs)) {
    // The runner evaluates `${{ github.token }}`; here the token is the test's.
    if (input.default !== undefined) inputs[name] = name === 'github-token' ? TOKEN : input.default;
  }
  Object.assign(inputs, options.inputs);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    ...(options.payload !== undefined ? { GITHUB_EVENT_PATH: files.event } : {}),
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_SHA: options.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKFLOW: 'apiguard',
    GITHUB_JOB: 'lint',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: home,
    // Retries wait (attempt)² × 10 ms instead of seconds.
    APIGUARD_RETRY_BASE_MS: '10',
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
    ...options.env,
  };
  const child = spawn(process.execPath, [ACTION], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const annotations = [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((match) => ({
    level: match[1]!,
    properties: match[2]?.trim() ?? '',
    message: match[3]!,
  }));
  return {
    code,
    stdout,
    stderr,
    outputs: readOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    annotations,
  };
}
