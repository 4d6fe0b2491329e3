import { describe, expect, it } from 'vitest';
import { planWorkflowAnnotations } from '../../src/report/github/annotations.ts';
import { makeFinding, placeWith } from './helpers/findings.ts';

const elsewhere = 'the job summary and the SARIF file apiguard.sarif';

function countByLevel(plan: ReturnType<typeof planWorkflowAnnotations>) {
  const counts: Record<string, number> = { error: 0, warning: 0, notice: 0 };
  for (const annotation of plan.annotations) counts[annotation.level]!++;
  return counts;
}

describe('workflow-command annotations', () => {
  it('shows at most 10 per level, the most severe and changed-line ones first, and counts the rest in one notice', () => {
    const errors = Array.from({ length: 15 }, (_, i) => makeFinding({ line: i + 1 }));
    const warnings = Array.from({ length: 12 }, (_, i) =>
      makeFinding({ severity: 'warning', ruleId: 'http-basic-auth', line: 100 + i }),
    );
    const infos = Array.from({ length: 3 }, (_, i) => makeFinding({ severity: 'info', line: 200 + i }));
    // Errors on lines 11–15 are on changed lines: they must be among the ten shown.
    const plan = planWorkflowAnnotations(
      [...infos, ...warnings, ...errors],
      placeWith([11, 12, 13, 14, 15]),
      {
        elsewhere,
      },
    );
    expect(countByLevel(plan)).toEqual({ error: 10, warning: 10, notice: 3 });
    const shownErrorLines = plan.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.properties.startLine);
    expect(shownErrorLines.slice(0, 5)).toEqual([11, 12, 13, 14, 15]);
    expect(plan.hidden).toBe(7);
    expect(plan.moreNotice).toBe(
      `apiguard: 7 more findings are not shown as annotations (GitHub shows at most 10 per level in a step). All 30 findings are in ${elsewhere}.`,
    );
  });

  it('leaves room for the step’s own messages and for the notice itself', () => {
    const errors = Array.from({ length: 10 }, () => makeFinding());
    const infos = Array.from({ length: 10 }, () => makeFinding({ severity: 'info' }));
    const plan = planWorkflowAnnotations([...errors, ...infos], placeWith(), {
      reserved: { error: 1, notice: 1 },
      elsewhere,
    });
    // 9 errors beside the failure message; 8 infos beside the fallback notice and the "more" notice.
    expect(countByLevel(plan)).toEqual({ error: 9, warning: 0, notice: 8 });
    expect(plan.hidden).toBe(3);
  });

  it('says nothing more when everything fits', () => {
    const plan = planWorkflowAnnotations(
      Array.from({ length: 10 }, () => makeFinding({ severity: 'info' })),
      placeWith(),
      { elsewhere },
    );
    expect(countByLevel(plan).notice).toBe(10);
    expect(plan.moreNotice).toBeUndefined();
  });

  it('names file, lines and rule, with columns only on one-line findings (the runner drops them otherwise)', () => {
    const [oneLine, multiLine] = planWorkflowAnnotations(
      [makeFinding({ line: 3, endLine: 3, column: 2, endColumn: 8 }), makeFinding({ line: 5, endLine: 9 })],
      { path: (f) => `api/${f.file}`, inDiff: () => false },
      { elsewhere },
    ).annotations;
    expect(oneLine!.properties).toEqual({
      title: 'write-operation-unprotected',
      file: 'api/openapi.yaml',
      startLine: 3,
      endLine: 3,
      startColumn: 2,
      endColumn: 8,
    });
    expect(multiLine!.properties).toEqual({
      title: 'write-operation-unprotected',
      file: 'api/openapi.yaml',
      startLine: 5,
      endLine: 9,
    });
  });
});
