import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvent } from '../../src/action/event.ts';
import { InputError, readInputs } from '../../src/action/inputs.ts';
import { makeWorkspace } from '../helpers/workspace.ts';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const MERGE = 'c'.repeat(40);

function eventFrom(name: string, payload: unknown) {
  const dir = makeWorkspace({
    'event.json': typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return readEvent({
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: MERGE,
  });
}

const pullRequest = (headRepo: unknown) => ({
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: HEAD, repo: headRepo },
    base: { sha: BASE, repo: { full_name: 'acme/shop' } },
  },
});

describe('reading the event', () => {
  it('takes the pull request head, not the merge commit, and tells forks apart', () => {
    const same = eventFrom('pull_request', pullRequest({ full_name: 'acme/shop', fork: false }));
    expect(same).toMatchObject({
      sha: HEAD,
      pullRequest: { number: 7, headSha: HEAD, baseSha: BASE, fromFork: false },
      repository: { owner: 'acme', repo: 'shop' },
      repositoryUrl: 'https://github.com/acme/shop',
      problems: [],
    });
    expect(
      eventFrom('pull_request_target', pullRequest({ full_name: 'mallory/shop' })).pullRequest?.fromFork,
    ).toBe(true);
    // A deleted fork leaves head.repo null.
    expect(eventFrom('pull_request', pullRequest(null)).pullRequest?.fromFork).toBe(true);
  });

  it('uses the pushed commit, the merge group head, or GITHUB_SHA', () => {
    expect(eventFrom('push', { after: HEAD }).sha).toBe(HEAD);
    // A deleted branch pushes the zero commit.
    expect(eventFrom('push', { after: '0'.repeat(40) }).sha).toBe(MERGE);
    expect(eventFrom('merge_group', { merge_group: { head_sha: HEAD, base_sha: BASE } })).toMatchObject({
      sha: HEAD,
      mergeGroup: { baseSha: BASE },
    });
    expect(eventFrom('schedule', {}).sha).toBe(MERGE);
    expect(eventFrom('workflow_dispatch', {}).pullRequest).toBeUndefined();
  });

  it('never throws on an odd payload: it says what is missing and goes on', () => {
    const broken = eventFrom('pull_request', '{ nope');
    expect(broken).toMatchObject({ payloadReadable: false, sha: MERGE });
    expect(broken.problems.join(' ')).toContain('not valid JSON');
    const noPr = eventFrom('pull_request', { number: 7, pull_request: { head: { sha: 'short' } } });
    expect(noPr.pullRequest).toBeUndefined();
    expect(noPr.problems.join(' ')).toContain('no usable pull_request');
    expect(eventFrom('pull_request', ['array']).problems).toContain(
      'The event payload is not a JSON object.',
    );
    const nothing = readEvent({});
    expect(nothing).toMatchObject({ name: 'unknown', payloadReadable: true });
    expect(nothing.repository).toBeUndefined();
    expect(readEvent({ GITHUB_EVENT_PATH: '/no/such/file' }).problems[0]).toContain('cannot be read');
  });
});

describe('reading inputs', () => {
  const inputs = (values: Record<string, string>) => readInputs((name) => values[name] ?? '');

  it('applies the defaults of action.yml when inputs are unset', () => {
    expect(inputs({})).toEqual({
      paths: ['.'],
      token: '',
      checkRun: true,
      prComment: true,
      reviewComments: false,
      maxReviewComments: 20,
      sarifFile: 'apiguard.sarif',
    });
  });

  it('reads paths by line or comma, keeping spaces inside a path', () => {
    expect(inputs({ paths: 'api specs/a.yaml\n  b.yaml , c\n' }).paths).toEqual([
      'api specs/a.yaml',
      'b.yaml',
      'c',
    ]);
  });

  it('names the input and what is allowed when a value is wrong', () => {
    expect(() => inputs({ 'fail-on': 'critical' })).toThrow(
      new InputError('Input "fail-on" must be one of error, warning, info, never; got "critical".'),
    );
    expect(() => inputs({ 'filter-mode': 'diff-context' })).toThrow(
      'one of added, diff_context, file, nofilter',
    );
    expect(() => inputs({ 'check-run': 'yes' })).toThrow(
      'Input "check-run" must be true or false; got "yes".',
    );
    expect(() => inputs({ 'max-review-comments': '-1' })).toThrow('must be a whole number');
    expect(inputs({ 'review-comments': 'True', 'fail-on': 'never' })).toMatchObject({
      reviewComments: true,
      failOn: 'never',
    });
  });
});
