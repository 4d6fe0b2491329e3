import { describe, expect, it } from 'vitest';
import type { FileChanges } from '../../src/filter/diff.ts';
import {
  commentFingerprint,
  planReview,
  reviewCommentBody,
} from '../../src/report/github/review-comments.ts';
import {
  MAX_COMMENT_CHARS,
  planStickyComment,
  stickyCommentBody,
  stickyMarker,
} from '../../src/report/github/sticky-comment.ts';
import { githubMarkdown } from '../../src/report/github/summary.ts';
import { makeFinding, makeResult, placeWith } from './helpers/findings.ts';

describe('sticky pull request comment', () => {
  const marker = stickyMarker('apiguard', 'lint', '.');

  it('is found again by a hidden marker that depends on the step, not on the findings', () => {
    expect(marker).toMatch(/^<!-- apiguard:report [0-9a-f]{16} -->$/);
    expect(stickyMarker('apiguard', 'lint', '.')).toBe(marker);
    expect(stickyMarker('apiguard', 'lint', 'specs')).not.toBe(marker);
  });

  it('is created only when there are findings, then updated in place, and left alone when unchanged', () => {
    const body = stickyCommentBody(marker, 'report');
    expect(planStickyComment([], marker, body, true)).toEqual({ kind: 'create', body });
    expect(planStickyComment([], marker, body, false)).toMatchObject({ kind: 'none' });
    const others = [
      { id: 1, body: 'LGTM' },
      { id: 2, body: `${stickyMarker('other', 'job', '.')}\nreport` },
      { id: 3, body: `${marker}\nold report` },
      { id: 4, body: null },
    ];
    expect(planStickyComment(others, marker, body, true)).toEqual({ kind: 'update', id: 3, body });
    // Findings gone: the existing comment is updated to say so.
    expect(planStickyComment(others, marker, body, false)).toEqual({ kind: 'update', id: 3, body });
    expect(planStickyComment([{ id: 3, body }], marker, body, true)).toMatchObject({ kind: 'none' });
  });

  it('says "No findings" when they are gone', () => {
    const markdown = githubMarkdown(makeResult([]), { place: placeWith(), elsewhere: 'the SARIF file' });
    expect(stickyCommentBody(marker, markdown)).toContain('✅ No findings.');
  });

  it('fits GitHub’s comment size, marker first', () => {
    const body = stickyCommentBody(marker, 'x'.repeat(100_000));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(marker)).toBe(true);
  });
});

describe('review comments', () => {
  const changes = (shown: number[], added = shown): FileChanges => ({
    added: new Set(added),
    shown: new Set(shown),
  });

  it('comment only lines the diff shows, carrying a hidden fingerprint and the fix', () => {
    const onAdded = makeFinding({ line: 10 });
    const onContext = makeFinding({ line: 12, severity: 'warning' });
    const outside = makeFinding({ line: 40 });
    const otherFile = makeFinding({ line: 10, file: 'other.yaml' });
    const plan = planReview([onAdded, onContext, outside, otherFile], placeWith([10]), {
      files: new Map([['openapi.yaml', changes([9, 10, 11, 12], [10])]]),
      existing: [],
      max: 20,
    });
    expect(plan.comments.map((c) => [c.path, c.line, c.side])).toEqual([
      ['openapi.yaml', 10, 'RIGHT'],
      ['openapi.yaml', 12, 'RIGHT'],
    ]);
    expect(commentFingerprint(plan.comments[0]!.body)).toBe(onAdded.fingerprint);
    expect(plan.comments[0]!.body).toContain('**How to fix:**');
    expect(plan.body).toBe('apiguard: 2 new findings on lines this pull request changes.');
  });

  it('never comments a finding twice, caps new comments and counts the rest', () => {
    const findings = Array.from({ length: 6 }, (_, i) => makeFinding({ line: i + 1 }));
    const existing = [{ id: 1, body: reviewCommentBody(findings[0]!) }];
    const plan = planReview(findings, placeWith(), {
      files: new Map([['openapi.yaml', changes([1, 2, 3, 4, 5, 6])]]),
      existing,
      max: 3,
    });
    expect(plan.comments).toHaveLength(3);
    expect(plan.comments.map((c) => c.line)).toEqual([2, 3, 4]);
    expect(plan.body).toContain('2 more are not commented (max-review-comments: 3)');
  });

  it('deletes its own comments whose finding is gone, unless someone answered them', () => {
    const gone = makeFinding();
    const answeredGone = makeFinding();
    const current = makeFinding();
    const existing = [
      { id: 1, body: reviewCommentBody(gone) },
      { id: 2, body: reviewCommentBody(answeredGone) },
      { id: 3, body: 'Why is this flagged?', in_reply_to_id: 2 },
      { id: 4, body: reviewCommentBody(current) },
      { id: 5, body: 'A human comment' },
    ];
    const plan = planReview([current], placeWith(), { files: new Map(), existing, max: 20 });
    expect(plan.stale).toEqual([1]);
    expect(plan.comments).toEqual([]);
  });

  it('cannot target files whose lines are unknown', () => {
    const plan = planReview([makeFinding({ line: 3 })], placeWith(), {
      files: new Map([['openapi.yaml', 'unknown' as const]]),
      existing: [],
      max: 20,
    });
    expect(plan.comments).toEqual([]);
  });
});
