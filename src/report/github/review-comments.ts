import { type ChangedFiles, isCommentable } from '../../filter/diff.ts';
import type { Finding, Severity } from '../../findings/finding.ts';
import { plural } from '../../findings/result.ts';
import { ruleDocsUrl } from '../../findings/rule.ts';
import { findRule } from '../../rules/index.ts';
import { byImportance, type FindingPlace, truncate } from './order.ts';

const MARKER = /<!-- apiguard:fingerprint ([0-9a-f]+) -->/;
const LABEL: Record<Severity, string> = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info' };
const MAX_BODY_CHARS = 65_536;

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  body: string;
}

export interface ExistingReviewComment {
  id: number;
  body?: string | null;
  in_reply_to_id?: number | null;
}

export interface ReviewPlan {
  /** New comments, at most `max`; empty means no review is posted. */
  comments: ReviewComment[];
  /** The review's own text, summarising what was not commented. */
  body: string;
  /** Comments of earlier runs whose finding is gone and that nobody answered: deleted. */
  stale: number[];
}

/** The hidden fingerprint lets the next run see which findings already have a comment. */
export function reviewCommentBody(finding: Finding): string {
  const rule = findRule(finding.ruleId);
  const ruleText = rule ? `[\`${finding.ruleId}\`](${ruleDocsUrl(finding.ruleId)})` : `\`${finding.ruleId}\``;
  const parts = [`**${LABEL[finding.severity]}** · ${ruleText}`, finding.message];
  if (rule) parts.push(`**How to fix:** ${rule.fix}`);
  return `${truncate(parts.join('\n\n'), MAX_BODY_CHARS - 80)}\n\n<!-- apiguard:fingerprint ${finding.fingerprint} -->`;
}

export function commentFingerprint(body: string | null | undefined): string | undefined {
  return body ? MARKER.exec(body)?.[1] : undefined;
}

/**
 * Review comments on the lines the findings point at, only where the diff shows that line (GitHub answers 422
 * elsewhere), one per finding across runs, the most important first and at most `max`; the rest are counted
 * in the review's text.
 */
export function planReview(
  findings: readonly Finding[],
  place: FindingPlace,
  options: { files: ChangedFiles; existing: readonly ExistingReviewComment[]; max: number },
): ReviewPlan {
  const commented = new Set(options.existing.map((comment) => commentFingerprint(comment.body)));
  const answered = new Set(options.existing.map((comment) => comment.in_reply_to_id));
  const current = new Set(findings.map((finding) => finding.fingerprint));
  const stale = options.existing
    .filter((comment) => {
      const fingerprint = commentFingerprint(comment.body);
      return fingerprint !== undefined && !current.has(fingerprint) && !answered.has(comment.id);
    })
    .map((comment) => comment.id);

  const candidates = byImportance(findings, place).filter(
    (finding) =>
      !commented.has(finding.fingerprint) && isCommentable(options.files, place.path(finding), finding.line),
  );
  const chosen = candidates.slice(0, Math.max(0, options.max));
  const overCap = candidates.length - chosen.length;
  const body = [
    `apiguard: ${plural(chosen.length, 'new finding')} on lines this pull request changes.`,
    ...(overCap > 0
      ? [
          `${overCap} more ${overCap === 1 ? 'is' : 'are'} not commented (max-review-comments: ${options.max}); the check run and the job summary list every finding.`,
        ]
      : []),
  ].join(' ');
  return {
    comments: chosen.map((finding) => ({
      path: place.path(finding),
      line: finding.line,
      side: 'RIGHT',
      body: reviewCommentBody(finding),
    })),
    body,
    stale,
  };
}
