/**
 * End to end: the built action (dist/index.js) runs as a child process the way the runner starts it, against a
 * loopback GitHub API that validates every request against GitHub's REST description. `npm test` rebuilds dist/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ActionRun,
  commit,
  makeCheckout,
  pullRequestEvent,
  pullRequestFiles,
  runAction,
  TOKEN,
} from './helpers/action.ts';
import { FakeGitHub, type ServerOptions } from './helpers/github-api.ts';

const BASE_SPEC = `openapi: 3.0.3
info:
  title: Shop API
  version: 1.0.0
servers:
  - url: http://api.example.com
security:
  - bearerAuth: []
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
paths:
  /items:
    get:
      summary: List items
      responses:
        '200':
          description: Items
`;

/** Adds a warning (unbounded page size) and an info finding (integer without format) on new lines. */
function listOperation(path: string): string {
  return `  ${path}:
    get:
      summary: List orders
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
      responses:
        '200':
          description: Orders
`;
}

/** Adds an error to the path above it: a write operation anyone may call. */
const UNPROTECTED_POST = `    post:
      summary: Create
      security: [{}]
      responses:
        '201':
          description: Created
`;

/** Three findings on added lines: an error, a warning and an info. */
const WITH_ERROR = BASE_SPEC + listOperation('/orders') + UNPROTECTED_POST;
const WITH_WARNING = BASE_SPEC + listOperation('/orders');

async function withApi<T>(
  options: Omit<ServerOptions, 'token' | 'repository'>,
  test: (api: FakeGitHub) => Promise<T>,
) {
  const api = await new FakeGitHub({ token: TOKEN, repository: 'acme/shop', ...options }).start();
  try {
    return await test(api);
  } finally {
    await api.close();
  }
}

/** What every run must satisfy: valid requests only, and the token nowhere. */
function expectClean(run: ActionRun, api: FakeGitHub): void {
  expect(api.violations).toEqual([]);
  const written = [
    run.stdout,
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
    JSON.stringify(api.requests),
  ];
  for (const text of written) expect(text).not.toContain(TOKEN);
  expect(run.stderr).toBe('');
}

function pullRequestSetup(
  head: string,
  options: { fork?: boolean; alsoChanged?: Record<string, string> } = {},
) {
  const checkout = makeCheckout(
    { 'openapi.yaml': BASE_SPEC },
    { 'openapi.yaml': head, ...options.alsoChanged },
  );
  return {
    checkout,
    server: {
      pullRequest: { number: 7, headSha: checkout.headSha, files: pullRequestFiles(checkout) },
      expectedHeadSha: checkout.headSha,
    },
    run: (api: FakeGitHub, inputs: Record<string, string> = {}) =>
      runAction({
        workspace: checkout.dir,
        eventName: 'pull_request',
        payload: pullRequestEvent(checkout, options),
        sha: checkout.mergeSha,
        apiUrl: api.url,
        inputs,
      }),
  };
}

// Each scenario runs the action one to three times; they run side by side, so give them room on small machines.
const timeout = 180_000;

describe.concurrent('the action on pull requests', { timeout }, () => {
  it('fails a pull request that adds an error, reporting only what it adds, through every channel', async () => {
    const setup = pullRequestSetup(WITH_ERROR);
    await withApi(setup.server, async (api) => {
      const run = await setup.run(api);
      expectClean(run, api);
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        result: 'fail',
        errors: '1',
        warnings: '1',
        infos: '1',
        new: '3',
        total: '3',
      });
      // The base's cleartext server (an error on line 6) is not this pull request's doing.
      expect(run.annotations.some((a) => a.properties.includes('title=insecure-transport'))).toBe(false);
      expect(run.annotations).toContainEqual(
        expect.objectContaining({
          level: 'error',
          properties: expect.stringMatching(/^title=write-operation-unprotected,file=openapi.yaml,line=\d+/),
        }),
      );
      expect(run.stdout).toMatch(/^::error::apiguard: 3 findings .* fail-on error is reached/m);

      const [checkRun] = api.checkRuns;
      expect(api.checkRuns).toHaveLength(1);
      expect(checkRun).toMatchObject({
        head_sha: setup.checkout.headSha,
        conclusion: 'failure',
        name: 'apiguard findings',
      });
      expect(checkRun!.annotations.map((a) => a.annotation_level)).toEqual(['failure', 'warning', 'notice']);

      expect(api.issueComments).toHaveLength(1);
      expect(api.issueComments[0]!.body).toMatch(/^<!-- apiguard:report [0-9a-f]{16} -->/);
      expect(api.issueComments[0]!.body).toContain('write-operation-unprotected');

      expect(run.summary).toContain('| openapi | 1 | 1 | 1 |');
      expect(run.summary).toContain(
        `https://github.com/acme/shop/blob/${setup.checkout.headSha}/openapi.yaml#L`,
      );
      expect(run.summary).toContain('Only findings on lines this pull request adds or changes are reported');
      // SARIF keeps every finding: code scanning would take the missing ones for fixed.
      const sarif = JSON.parse(readFileSync(join(setup.checkout.dir, 'apiguard.sarif'), 'utf8'));
      expect(sarif.runs[0].automationDetails.id).toBe('apiguard/openapi/');
      expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('insecure-transport');
    });
  });

  it('passes a pull request whose findings stay below fail-on, although the base has an error', async () => {
    const setup = pullRequestSetup(WITH_WARNING);
    await withApi(setup.server, async (api) => {
      const run = await setup.run(api);
      expectClean(run, api);
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'pass', errors: '0', warnings: '1' });
      expect(api.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    });
  });

  it('updates its comment in place on re-runs, never duplicates review comments, and says when findings are gone', async () => {
    const setup = pullRequestSetup(WITH_ERROR);
    await withApi(setup.server, async (api) => {
      const inputs = { 'review-comments': 'true' };
      const first = await setup.run(api, inputs);
      expectClean(first, api);
      expect(api.issueComments).toHaveLength(1);
      const commented = api.reviewComments.length;
      expect(commented).toBe(3);
      expect(
        api.reviewComments.every((c) => /<!-- apiguard:fingerprint [0-9a-f]{32} -->$/.test(c.body)),
      ).toBe(true);

      const second = await setup.run(api, inputs);
      expectClean(second, api);
      expect(api.issueComments).toHaveLength(1);
      expect(api.calls('issues/create-comment')).toHaveLength(1);
      expect(api.reviewComments).toHaveLength(commented);
      expect(api.reviews).toHaveLength(1);

      // The author removes the error: the comment says so, and its review comment goes.
      const fixed = commit(setup.checkout, { 'openapi.yaml': WITH_WARNING });
      Object.assign(setup.checkout, fixed);
      api.options.pullRequest = {
        number: 7,
        headSha: fixed.headSha,
        files: pullRequestFiles(setup.checkout),
      };
      api.options.expectedHeadSha = fixed.headSha;
      const third = await setup.run(api, inputs);
      expectClean(third, api);
      expect(third.code).toBe(0);
      expect(api.issueComments).toHaveLength(1);
      expect(api.issueComments[0]!.body).not.toContain('write-operation-unprotected');
      expect(api.calls('pulls/delete-review-comment')).toHaveLength(1);
      expect(api.reviewComments).toHaveLength(commented - 1);
    });
  });

  it('on a fork whose token cannot write: one notice, every finding as annotations and summary, and the job still fails', async () => {
    const setup = pullRequestSetup(WITH_ERROR, { fork: true });
    await withApi({ ...setup.server, forbidWrites: true }, async (api) => {
      const run = await setup.run(api, { 'review-comments': 'true' });
      expectClean(run, api);
      expect(run.code).toBe(1);
      expect(run.outputs.result).toBe('fail');
      const notices = run.annotations.filter((a) => a.message.includes('could not write'));
      expect(notices).toHaveLength(1);
      expect(notices[0]!.level).toBe('notice');
      expect(notices[0]!.message).toContain('comes from a fork');
      expect(run.annotations.filter((a) => a.properties.startsWith('title='))).toHaveLength(3);
      expect(run.summary).toContain('write-operation-unprotected');
      expect(run.summary).toContain('No check run: HTTP 403');
      // Reads still work: the diff came from GitHub, so only the pull request's findings count.
      expect(run.outputs.new).toBe('3');
      expect(api.requests.filter((r) => r.method !== 'GET').every((r) => r.status === 403)).toBe(true);
    });
  });

  it('retries a 5xx answer and then succeeds', async () => {
    const setup = pullRequestSetup(WITH_ERROR);
    await withApi(
      { ...setup.server, failures: [{ method: 'POST', path: /\/check-runs$/, status: 502, times: 1 }] },
      async (api) => {
        const run = await setup.run(api);
        expectClean(run, api);
        expect(api.calls('checks/create').map((r) => r.status)).toEqual([502, 201]);
        expect(api.checkRuns).toHaveLength(1);
        expect(run.code).toBe(1);
      },
    );
  });

  it('falls back to git diff base...head when GitHub answers 406, and says so', async () => {
    const setup = pullRequestSetup(WITH_ERROR);
    await withApi({ ...setup.server, filesStatus: 406 }, async (api) => {
      const run = await setup.run(api);
      expectClean(run, api);
      expect(run.stdout).toContain('Changed lines come from `git diff base...head`: GitHub answered 406');
      expect(run.summary).toContain('GitHub answered 406');
      expect(run.outputs).toMatchObject({ new: '3', errors: '1', result: 'fail' });
    });
  });

  it('passes with fail-on never, whatever it finds', async () => {
    const setup = pullRequestSetup(WITH_ERROR);
    await withApi(setup.server, async (api) => {
      const run = await setup.run(api, { 'fail-on': 'never', 'filter-mode': 'nofilter' });
      expectClean(run, api);
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'pass', errors: '2' });
      expect(api.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
    });
  });

  it('batches more than 60 findings 50 per request, caps annotations per level and says how many more', async () => {
    const operations = Array.from({ length: 25 }, (_, i) => listOperation(`/things${i}`) + UNPROTECTED_POST);
    // 120 more changed files: the file list takes two pages of 100.
    const notes = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`notes/${i}.md`, `note ${i}\n`]));
    const setup = pullRequestSetup(BASE_SPEC + operations.join(''), { alsoChanged: notes });
    await withApi(setup.server, async (api) => {
      const run = await setup.run(api, {
        'filter-mode': 'nofilter',
        'review-comments': 'true',
        'max-review-comments': '5',
      });
      expectClean(run, api);
      expect(api.calls('pulls/list-files')).toHaveLength(2);
      const total = Number(run.outputs.total);
      expect(total).toBeGreaterThan(60);
      const [create, ...updates] = [...api.calls('checks/create'), ...api.calls('checks/update')];
      expect(create!.body!.output.annotations).toHaveLength(50);
      expect(updates.length).toBe(Math.ceil(total / 50) - 1);
      expect(api.checkRuns[0]!.annotations).toHaveLength(total);
      expect(api.checkRuns[0]!.conclusion).toBe('failure');

      for (const level of ['error', 'warning', 'notice']) {
        expect(run.annotations.filter((a) => a.level === level).length).toBeLessThanOrEqual(10);
      }
      // 9 of the 26 errors fit beside the failure message; the rest are counted in one notice.
      expect(
        run.annotations.filter((a) => a.level === 'error' && a.properties.startsWith('title=')),
      ).toHaveLength(9);
      const more = run.annotations.find((a) => a.message.includes('not shown as annotations'));
      expect(more?.message).toMatch(/apiguard: \d+ more findings are not shown as annotations/);
      expect(more?.message).toContain(
        'the check run "apiguard findings", the job summary and the SARIF file apiguard.sarif',
      );

      expect(api.reviewComments).toHaveLength(5);
      expect(api.reviews[0]!.body).toMatch(/\d+ more are not commented \(max-review-comments: 5\)/);
    });
  });
});

describe.concurrent('the action on other events', { timeout }, () => {
  it('on push: reports every finding on the pushed commit and fails', async () => {
    const checkout = makeCheckout({ 'openapi.yaml': BASE_SPEC }, { 'openapi.yaml': WITH_WARNING });
    await withApi({ expectedHeadSha: checkout.headSha }, async (api) => {
      const run = await runAction({
        workspace: checkout.dir,
        eventName: 'push',
        payload: {
          ref: 'refs/heads/main',
          before: checkout.baseSha,
          after: checkout.headSha,
          repository: {},
        },
        sha: checkout.headSha,
        apiUrl: api.url,
      });
      expectClean(run, api);
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ result: 'fail', errors: '1' });
      expect(api.checkRuns).toHaveLength(1);
      expect(api.calls('issues/list-comments')).toHaveLength(0);
      expect(api.calls('pulls/list-files')).toHaveLength(0);
    });
  });

  it('in a merge queue: only what the queued changes add counts, from git diff base...head', async () => {
    const checkout = makeCheckout({ 'openapi.yaml': BASE_SPEC }, { 'openapi.yaml': WITH_WARNING });
    await withApi({ expectedHeadSha: checkout.headSha }, async (api) => {
      const run = await runAction({
        workspace: checkout.dir,
        eventName: 'merge_group',
        payload: {
          action: 'checks_requested',
          merge_group: {
            head_sha: checkout.headSha,
            base_sha: checkout.baseSha,
            head_ref: 'gh-readonly-queue/main/pr-7',
          },
        },
        sha: checkout.headSha,
        apiUrl: api.url,
      });
      expectClean(run, api);
      // The base's cleartext server is older than the queue: the required check passes.
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'pass', errors: '0', warnings: '1' });
      expect(run.summary).toContain('Only findings on lines this merge group adds or changes are reported');
      expect(api.checkRuns[0]).toMatchObject({ head_sha: checkout.headSha, conclusion: 'neutral' });
    });
  });

  it('survives an event payload that is not JSON and a missing token', async () => {
    const checkout = makeCheckout({ 'openapi.yaml': BASE_SPEC }, {});
    await withApi({}, async (api) => {
      const run = await runAction({
        workspace: checkout.dir,
        eventName: 'pull_request',
        payload: '{ not json',
        sha: checkout.headSha,
        apiUrl: api.url,
        inputs: { 'github-token': '' },
      });
      expectClean(run, api);
      expect(run.code).toBe(1);
      expect(run.annotations.some((a) => a.level === 'warning' && a.message.includes('not valid JSON'))).toBe(
        true,
      );
      expect(run.annotations.some((a) => a.properties.includes('title=insecure-transport'))).toBe(true);
      expect(api.requests).toEqual([]);
    });
  });

  it('never runs repository code under pull_request_target, whatever .apiguard.yml allows', async () => {
    const checkout = makeCheckout(
      {
        'openapi.yaml': BASE_SPEC,
        '.apiguard.yml': 'spectralRuleset: .spectral.yaml\nallowCustomFunctions: true\n',
        '.spectral.yaml':
          'functions: [probe]\nrules:\n  probe:\n    given: $.info\n    then: { function: probe }\n',
        'functions/probe.js':
          "import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('../ran', import.meta.url), 'x');\nexport default () => [];\n",
      },
      {},
    );
    await withApi({}, async (api) => {
      const run = (eventName: string) =>
        runAction({
          workspace: checkout.dir,
          eventName,
          payload: pullRequestEvent(checkout, { fork: true }),
          sha: checkout.mergeSha,
          apiUrl: api.url,
          inputs: { 'github-token': '' },
        });
      const target = await run('pull_request_target');
      expect(target.code).toBe(1);
      expect(target.stdout).toContain('custom functions run repository code');
      expect(existsSync(join(checkout.dir, 'ran'))).toBe(false);
      // The same configuration on a pull_request run (read-only token) does load the function.
      const ordinary = await run('pull_request');
      expect(ordinary.stdout).not.toContain('custom functions run repository code');
      expect(existsSync(join(checkout.dir, 'ran'))).toBe(true);
    });
  });

  it('accepts the findings of a baseline: reported as existing, counted in total, not failing', async () => {
    const checkout = makeCheckout({ 'openapi.yaml': BASE_SPEC }, {});
    await withApi({ expectedHeadSha: checkout.headSha }, async (api) => {
      const push = (inputs: Record<string, string>) =>
        runAction({
          workspace: checkout.dir,
          eventName: 'workflow_dispatch',
          payload: {},
          sha: checkout.headSha,
          apiUrl: api.url,
          inputs,
        });
      const before = await push({ 'check-run': 'false' });
      const sarif = JSON.parse(readFileSync(join(checkout.dir, 'apiguard.sarif'), 'utf8'));
      const fingerprints = sarif.runs[0].results.map(
        (r: { partialFingerprints: { apiguardFingerprint: string } }) => ({
          fingerprint: r.partialFingerprints.apiguardFingerprint,
        }),
      );
      writeFileSync(
        join(checkout.dir, 'baseline.json'),
        JSON.stringify({ version: 1, findings: fingerprints }),
      );
      const after = await push({ baseline: 'baseline.json' });
      expectClean(after, api);
      expect(before.code).toBe(1);
      expect(after.code).toBe(0);
      expect(after.outputs).toMatchObject({ result: 'pass', new: '0', total: before.outputs.total });
      expect(after.summary).toContain(`${before.outputs.total} existing (in the baseline)`);
      expect(api.checkRuns[0]).toMatchObject({ conclusion: 'success' });
    });
  });
});
