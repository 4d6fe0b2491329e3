import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS_PER_REQUEST,
  checkRunConclusion,
  MAX_CHECK_RUN_ANNOTATIONS,
  MAX_OUTPUT_CHARS,
  planCheckRun,
} from '../../src/report/github/check-run.ts';
import { makeFinding, makeResult, placeWith } from './helpers/findings.ts';

const headSha = 'a'.repeat(40);

function allAnnotations(plan: ReturnType<typeof planCheckRun>) {
  return [plan.create, ...plan.updates].map((request) => request.output.annotations);
}

describe('check run', () => {
  it('creates a completed run in one request when 50 annotations or fewer', () => {
    const plan = planCheckRun(makeResult([makeFinding()]), placeWith(), { headSha, summary: 'S' });
    expect(plan.updates).toEqual([]);
    expect(plan.create).toMatchObject({
      name: 'apiguard findings',
      head_sha: headSha,
      status: 'completed',
      conclusion: 'failure',
      output: { title: '1 error, 0 warnings, 0 info', summary: 'S' },
    });
    expect(plan.create.output.annotations[0]).toMatchObject({
      annotation_level: 'failure',
      title: 'write-operation-unprotected',
      raw_details: expect.stringMatching(/^How to fix: /),
    });
  });

  it('sends 50 annotations per request and completes the run with the last batch', () => {
    const findings = Array.from({ length: 120 }, (_, i) =>
      makeFinding({ severity: i % 2 ? 'warning' : 'info', line: i + 1 }),
    );
    const plan = planCheckRun(makeResult(findings), placeWith(), { headSha, summary: 'S' });
    expect(allAnnotations(plan).map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(plan.create).toMatchObject({ status: 'in_progress' });
    expect(plan.create.conclusion).toBeUndefined();
    expect(plan.updates[0]!.conclusion).toBeUndefined();
    expect(plan.updates[1]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    const levels = new Set(
      allAnnotations(plan)
        .flat()
        .map((a) => a.annotation_level),
    );
    expect(levels).toEqual(new Set(['warning', 'notice']));
    // Warnings, the more severe, come first.
    expect(plan.create.output.annotations.every((a) => a.annotation_level === 'warning')).toBe(true);
  });

  it('stops at 1,000 annotations and says how many were left out', () => {
    const findings = Array.from({ length: 1234 }, (_, i) => makeFinding({ line: i + 1 }));
    const plan = planCheckRun(makeResult(findings), placeWith(), { headSha, summary: 'S' });
    const batches = allAnnotations(plan);
    expect(batches.flat()).toHaveLength(MAX_CHECK_RUN_ANNOTATIONS);
    expect(Math.max(...batches.map((batch) => batch.length))).toBe(ANNOTATIONS_PER_REQUEST);
    expect(plan.omitted).toBe(234);
    expect(plan.create.output.summary).toContain('234 more findings are not annotated here');
  });

  it('keeps the summary within 65,535 characters', () => {
    const plan = planCheckRun(makeResult([makeFinding()]), placeWith(), {
      headSha,
      summary: 'x'.repeat(100_000),
    });
    expect(plan.create.output.summary.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(plan.create.output.summary).toMatch(/…\(truncated\)$/);
  });

  it('gives columns only to one-line annotations', () => {
    const plan = planCheckRun(
      makeResult([makeFinding({ line: 4, endLine: 4 }), makeFinding({ line: 6, endLine: 8 })]),
      placeWith(),
      { headSha, summary: 'S' },
    );
    const [single, multi] = plan.create.output.annotations;
    expect(single).toMatchObject({ start_line: 4, end_line: 4, start_column: 5, end_column: 9 });
    expect(multi).not.toHaveProperty('start_column');
    expect(multi).toMatchObject({ start_line: 6, end_line: 8 });
  });

  it('concludes failure at the threshold, neutral below it, success without findings', () => {
    expect(checkRunConclusion(makeResult([makeFinding()]))).toBe('failure');
    expect(checkRunConclusion(makeResult([makeFinding({ severity: 'warning' })]))).toBe('neutral');
    expect(checkRunConclusion(makeResult([makeFinding()], { failOn: 'never' }))).toBe('neutral');
    expect(checkRunConclusion(makeResult([]))).toBe('success');
  });
});
