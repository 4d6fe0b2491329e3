/**
 * Inline suppressions in source and configuration files, shared by every engine that reads them (code rules,
 * code and config-file secrets):
 *
 *   // apiguard-ignore-next-line missing-auth -- public status page
 *   # apiguard-ignore-file hardcoded-secret -- test fixtures
 *
 * `//`, `#`, `;` and `/* … *\/` comments are recognised; several rule ids may be listed, separated by commas; the
 * reason after ` -- ` is kept. `next-line` applies to the next line that is neither blank nor a comment (so a
 * suppression can sit above decorators' comments), `file` to the whole file.
 */
import type { Suppression } from '../findings/finding.ts';

export interface SuppressionIndex {
  /** Rule id → reason ('' when none given) for `apiguard-ignore-file`. */
  file: Map<string, string>;
  /** 1-based line → rule id → reason, for `apiguard-ignore-next-line`. */
  lines: Map<number, Map<string, string>>;
}

const DIRECTIVE =
  /(?:\/\/|#|;|\/\*)\s*apiguard-ignore-(next-line|file)\s+([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)(?:\s+--\s+(.*?))?\s*(?:\*\/\s*)?$/;
const COMMENT_OR_BLANK = /^\s*(?:(?:\/\/|#|;).*|\/\*.*\*\/\s*)?$/;
/** Longer lines are not searched: a directive is a short comment, and the input is untrusted. */
const MAX_LINE = 2_000;

export function parseSuppressions(text: string): SuppressionIndex {
  const index: SuppressionIndex = { file: new Map(), lines: new Map() };
  if (!text.includes('apiguard-ignore-')) return index;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, at) => {
    if (line.length > MAX_LINE || !line.includes('apiguard-ignore-')) return;
    const match = DIRECTIVE.exec(line);
    if (!match) return;
    const ids = match[2]!.split(',').map((id) => id.trim());
    const reason = match[3]?.trim() ?? '';
    if (match[1] === 'file') {
      for (const id of ids) index.file.set(id, reason);
      return;
    }
    let target = at + 1;
    while (target < lines.length && COMMENT_OR_BLANK.test(lines[target]!)) target++;
    const byRule = index.lines.get(target + 1) ?? new Map<string, string>();
    for (const id of ids) byRule.set(id, reason);
    index.lines.set(target + 1, byRule);
  });
  return index;
}

/** The suppression that silences `ruleId` at `line` (1-based), if any. */
export function findSuppression(
  index: SuppressionIndex,
  ruleId: string,
  line: number,
): Suppression | undefined {
  const reason = index.lines.get(line)?.get(ruleId) ?? index.file.get(ruleId);
  if (reason === undefined) return undefined;
  return { kind: 'inline', ...(reason ? { reason } : {}) };
}
