import type { Finding, Severity } from '../../findings/finding.ts';
import { plural } from '../../findings/result.ts';
import { byImportance, type FindingPlace } from './order.ts';

/** Workflow-command annotations (`::error file=…::`): no token needed, so they work on pull requests from forks. */
export type CommandLevel = 'error' | 'warning' | 'notice';

/** GitHub shows at most this many annotations of each level per step and drops the rest without a word. */
export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, CommandLevel> = { error: 'error', warning: 'warning', info: 'notice' };

export interface WorkflowAnnotation {
  level: CommandLevel;
  message: string;
  /** What `@actions/core` turns into `title=,file=,line=,endLine=,col=,endColumn=`. */
  properties: {
    title: string;
    file: string;
    startLine: number;
    endLine: number;
    startColumn?: number;
    endColumn?: number;
  };
}

export interface AnnotationPlan {
  annotations: WorkflowAnnotation[];
  /** Findings left out by the cap. */
  hidden: number;
  /** One notice saying how many were left out and where they are; set when any were. */
  moreNotice?: string;
}

export interface AnnotationOptions {
  /** Annotations of each level the step prints for other reasons (the failure message, a fallback notice). */
  reserved?: Partial<Record<CommandLevel, number>>;
  /** Where every finding can be read, e.g. `the check run, the job summary and apiguard.sarif`. */
  elsewhere: string;
}

export function toWorkflowAnnotation(
  finding: Finding,
  place: Pick<FindingPlace, 'path'>,
): WorkflowAnnotation {
  // The runner drops columns unless the annotation is on one line.
  const columns =
    finding.line === finding.endLine ? { startColumn: finding.column, endColumn: finding.endColumn } : {};
  return {
    level: LEVEL[finding.severity],
    message: finding.message,
    properties: {
      title: finding.ruleId,
      file: place.path(finding),
      startLine: finding.line,
      endLine: Math.max(finding.endLine, finding.line),
      ...columns,
    },
  };
}

/**
 * The most important findings within GitHub's per-level cap (most severe and on changed lines first), and a
 * notice counting the rest, so nothing disappears silently. The notice takes one of the notice slots.
 */
export function planWorkflowAnnotations(
  findings: readonly Finding[],
  place: FindingPlace,
  options: AnnotationOptions,
): AnnotationPlan {
  const ordered = byImportance(findings, place);
  const pick = (noticeSlotsTaken: number) => {
    const used: Record<CommandLevel, number> = { error: 0, warning: 0, notice: 0 };
    return ordered.filter((finding) => {
      const level = LEVEL[finding.severity];
      const budget =
        ANNOTATIONS_PER_LEVEL -
        (options.reserved?.[level] ?? 0) -
        (level === 'notice' ? noticeSlotsTaken : 0);
      if (used[level] >= budget) return false;
      used[level]++;
      return true;
    });
  };
  let shown = pick(0);
  if (shown.length < ordered.length) shown = pick(1);
  const hidden = ordered.length - shown.length;
  return {
    annotations: shown.map((finding) => toWorkflowAnnotation(finding, place)),
    hidden,
    ...(hidden > 0
      ? {
          moreNotice: `apiguard: ${hidden} more ${hidden === 1 ? 'finding is' : 'findings are'} not shown as annotations (GitHub shows at most ${ANNOTATIONS_PER_LEVEL} per level in a step). All ${plural(ordered.length, 'finding')} are in ${options.elsewhere}.`,
        }
      : {}),
  };
}
