import type { Finding, Severity } from '../../findings/finding.ts';
import { hasFailed, plural, type ScanResult, summarize } from '../../findings/result.ts';
import { findRule } from '../../rules/index.ts';
import { byImportance, type FindingPlace, truncate } from './order.ts';

/** Not the job's name: the job is the required check; this run can land under another workflow's suite. */
export const CHECK_RUN_NAME = 'apiguard findings';
/** The Checks API rejects a request with more annotations than this; further ones go in updates, appended. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** At one request a second (GitHub's advice for writes), 1,000 annotations take 20 requests. */
export const MAX_CHECK_RUN_ANNOTATIONS = 1000;
/** `output.summary` and `output.text` longer than this get 422 "Only 65535 characters are allowed". */
export const MAX_OUTPUT_CHARS = 65_535;
const MAX_ANNOTATION_FIELD = 64 * 1000;

const LEVEL: Record<Severity, 'failure' | 'warning' | 'notice'> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

interface Output {
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

export interface CheckRunCreate {
  name: string;
  head_sha: string;
  status: 'in_progress' | 'completed';
  conclusion?: Conclusion;
  output: Output;
}

export interface CheckRunUpdate {
  status?: 'completed';
  conclusion?: Conclusion;
  output: Output;
}

export interface CheckRunPlan {
  create: CheckRunCreate;
  /** Sent in order to the created run; the last one completes it. */
  updates: CheckRunUpdate[];
  /** Findings beyond MAX_CHECK_RUN_ANNOTATIONS, said in the summary. */
  omitted: number;
}

export function toCheckRunAnnotation(
  finding: Finding,
  place: Pick<FindingPlace, 'path'>,
): CheckRunAnnotation {
  const fix = findRule(finding.ruleId)?.fix;
  return {
    path: place.path(finding),
    start_line: finding.line,
    end_line: Math.max(finding.endLine, finding.line),
    // Columns are only allowed on single-line annotations.
    ...(finding.line === finding.endLine
      ? { start_column: finding.column, end_column: finding.endColumn }
      : {}),
    annotation_level: LEVEL[finding.severity],
    message: truncate(finding.message, MAX_ANNOTATION_FIELD),
    title: truncate(finding.ruleId, 255),
    ...(fix ? { raw_details: truncate(`How to fix: ${fix}`, MAX_ANNOTATION_FIELD) } : {}),
  };
}

/** Blocks on the threshold like the job; findings below it are `neutral`, not a green tick. */
export function checkRunConclusion(result: ScanResult): Conclusion {
  if (hasFailed(result)) return 'failure';
  return result.findings.length > 0 ? 'neutral' : 'success';
}

/** `1 error, 2 warnings, 0 info` */
export function severityCounts(result: ScanResult): string {
  const { error, warning, info } = summarize(result).bySeverity;
  return `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info`;
}

export function checkRunTitle(result: ScanResult): string {
  return result.findings.length === 0 ? 'No findings' : severityCounts(result);
}

/**
 * One check run on the analysed commit with every annotation, 50 per request: the first batch with the
 * creation, the others appended by updates, the last update completing the run with its conclusion.
 */
export function planCheckRun(
  result: ScanResult,
  place: FindingPlace,
  options: { headSha: string; summary: string },
): CheckRunPlan {
  const ordered = byImportance(result.findings, place);
  const annotated = ordered.slice(0, MAX_CHECK_RUN_ANNOTATIONS);
  const omitted = ordered.length - annotated.length;
  const summary = truncate(
    omitted > 0
      ? `${options.summary}\n\n${omitted} more findings are not annotated here (at most ${MAX_CHECK_RUN_ANNOTATIONS} per check run); the SARIF file has them all.`
      : options.summary,
    MAX_OUTPUT_CHARS,
  );
  const title = checkRunTitle(result);
  const batches: CheckRunAnnotation[][] = [];
  for (let start = 0; start < annotated.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(
      annotated.slice(start, start + ANNOTATIONS_PER_REQUEST).map((f) => toCheckRunAnnotation(f, place)),
    );
  }
  const output = (annotations: CheckRunAnnotation[] = []): Output => ({ title, summary, annotations });
  const conclusion = checkRunConclusion(result);
  const [first, ...rest] = batches;
  if (rest.length === 0) {
    return {
      create: {
        name: CHECK_RUN_NAME,
        head_sha: options.headSha,
        status: 'completed',
        conclusion,
        output: output(first),
      },
      updates: [],
      omitted,
    };
  }
  const last = rest.pop()!;
  return {
    create: { name: CHECK_RUN_NAME, head_sha: options.headSha, status: 'in_progress', output: output(first) },
    updates: [
      ...rest.map((batch) => ({ output: output(batch) })),
      { status: 'completed', conclusion, output: output(last) },
    ],
    omitted,
  };
}
