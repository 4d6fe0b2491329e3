import { hash } from '../../findings/fingerprint.ts';
import { truncate } from './order.ts';

/** GitHub rejects longer issue comments (65,536 characters, as practitioners report). */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * The hidden marker that finds the comment again on the next run. Keyed by what identifies one apiguard step
 * (workflow, job, scanned paths) so two steps on one pull request keep a comment each.
 */
export function stickyMarker(...identity: string[]): string {
  return `<!-- apiguard:report ${hash(...identity).slice(0, 16)} -->`;
}

/** The marker goes first so no truncation can cut it off. */
export function stickyCommentBody(marker: string, markdown: string): string {
  return truncate(`${marker}\n${markdown}`, MAX_COMMENT_CHARS);
}

export interface ExistingComment {
  id: number;
  body?: string | null;
}

export type StickyCommentAction =
  | { kind: 'create'; body: string }
  | { kind: 'update'; id: number; body: string }
  | { kind: 'none'; why: string };

/**
 * One comment per pull request, updated in place: never re-posted on each push. It is only created when there
 * is something to say; once the findings are gone the existing comment says so.
 */
export function planStickyComment(
  existing: readonly ExistingComment[],
  marker: string,
  body: string,
  hasFindings: boolean,
): StickyCommentAction {
  const previous = existing.find((comment) => comment.body?.includes(marker));
  if (previous) {
    return previous.body === body
      ? { kind: 'none', why: 'the comment is up to date' }
      : { kind: 'update', id: previous.id, body };
  }
  return hasFindings ? { kind: 'create', body } : { kind: 'none', why: 'no findings and no earlier comment' };
}
