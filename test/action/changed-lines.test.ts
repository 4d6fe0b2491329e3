import { describe, expect, it } from 'vitest';
import { MAX_LISTED_FILES, readChangedLines } from '../../src/action/changed-lines.ts';
import type { GitHubClient } from '../../src/action/client.ts';
import { makeCheckout } from './helpers/action.ts';
import type { PullRequestFile } from './helpers/github-api.ts';

const repository = { owner: 'acme', repo: 'shop' };
const PATCH = '@@ -1,2 +1,3 @@\n a\n+b\n c';

/** Only what readChangedLines uses: paginate over pulls.listFiles, 100 files a page. */
function clientListing(files: PullRequestFile[] | Error): GitHubClient {
  const paginate = async (
    _route: unknown,
    _params: unknown,
    onPage: (response: { data: PullRequestFile[] }, done: () => void) => unknown,
  ) => {
    if (files instanceof Error) throw files;
    let stop = false;
    for (let start = 0; start < files.length && !stop; start += 100) {
      onPage({ data: files.slice(start, start + 100) }, () => {
        stop = true;
      });
    }
    return [];
  };
  return { paginate, rest: { pulls: { listFiles: {} } } } as unknown as GitHubClient;
}

const file = (filename: string, patch?: string): PullRequestFile => ({
  filename,
  status: 'modified',
  additions: 1,
  deletions: 0,
  changes: 1,
  ...(patch === undefined ? {} : { patch }),
});

describe('the changed lines of a pull request', () => {
  const checkout = makeCheckout(
    { 'spec.yaml': 'a\nc\n', 'big.yaml': 'x\n' },
    { 'spec.yaml': 'a\nb\nc\n', 'big.yaml': 'x\ny\n' },
  );
  const pr = { number: 7, headSha: checkout.headSha, baseSha: checkout.baseSha, fromFork: false };
  const unknownPr = { ...pr, baseSha: 'f'.repeat(40) };

  it('come from GitHub’s patches when it gives them all', async () => {
    const changed = await readChangedLines(
      clientListing([file('spec.yaml', PATCH)]),
      repository,
      pr,
      checkout.dir,
    );
    expect(changed).toEqual({
      files: new Map([['spec.yaml', { added: new Set([2]), shown: new Set([1, 2, 3]) }]]),
      notes: [],
    });
  });

  it('come from git diff base...head when GitHub leaves a patch out, and say so', async () => {
    const changed = await readChangedLines(
      clientListing([file('spec.yaml', PATCH), file('big.yaml')]),
      repository,
      pr,
      checkout.dir,
    );
    expect(changed.files?.get('big.yaml')).toEqual({ added: new Set([2]), shown: new Set([1, 2]) });
    expect(changed.notes).toEqual([
      'Changed lines come from `git diff base...head`: GitHub left out the diff of big.yaml (too large).',
    ]);
  });

  it('count every line of a file as changed when neither GitHub nor git can tell', async () => {
    const changed = await readChangedLines(
      clientListing([file('spec.yaml', PATCH), file('big.yaml')]),
      repository,
      unknownPr,
      checkout.dir,
    );
    expect(changed.files?.get('big.yaml')).toBe('unknown');
    expect(changed.files?.get('spec.yaml')).not.toBe('unknown');
    expect(changed.notes[0]).toMatch(
      /fetch-depth: 0.*every finding in those files counts as on a changed line/,
    );
  });

  it('give up filtering when GitHub cuts the list at 3,000 files and git cannot help', async () => {
    const many = Array.from({ length: MAX_LISTED_FILES + 50 }, (_, i) => file(`f${i}.yaml`, PATCH));
    const changed = await readChangedLines(clientListing(many), repository, unknownPr, checkout.dir);
    expect(changed.files).toBeUndefined();
    expect(changed.notes[0]).toMatch(
      /^Could not tell which lines .*3,000 changed files.*every finding is reported\.$/,
    );
  });

  it('fall back to git on 406 and without a token', async () => {
    const tooLarge = Object.assign(new Error('Sorry, the diff exceeded the maximum number of files'), {
      status: 406,
    });
    const on406 = await readChangedLines(clientListing(tooLarge), repository, pr, checkout.dir);
    expect(on406.files?.get('spec.yaml')).toEqual({ added: new Set([2]), shown: new Set([1, 2, 3]) });
    expect(on406.notes[0]).toContain('GitHub answered 406');
    const noToken = await readChangedLines(undefined, repository, pr, checkout.dir);
    expect(noToken.notes[0]).toContain('no GitHub token was given');
    expect(noToken.files?.size).toBe(2);
  });
});
