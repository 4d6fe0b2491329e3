import type { Suppression } from '../../findings/finding.ts';

/**
 * Inline suppressions written in a file's own comments, for code and configuration files alike:
 *
 *     // apiguard-ignore-next-line hardcoded-secret -- a key for the local emulator
 *     # apiguard-ignore-file hardcoded-secret, other-rule -- fixtures
 *
 * A directive is a whole-line comment (`//`, `/*`, `*`, `#`, `;`, `<!--`) naming one or more rule ids;
 * what follows ` -- ` is the reason. `next-line` applies to the next line that is neither blank nor a
 * comment, so directives can be stacked; `file` applies to the whole file. A directive without a rule id
 * silences nothing: a suppression says which check it overrides.
 */
export type SuppressionLookup = (ruleId: string, line: number) => Suppression | undefined;

const DIRECTIVE =
  /^[ \t]*(?:\/\/|\/\*+|\*|#|;|<!--)[ \t]*apiguard-ignore-(next-line|file)(?=[ \t]|$)([^\r\n]*)$/;
const COMMENT_OR_BLANK = /^[ \t]*(?:(?:\/\/|\/\*|\*|#|;|<!--).*)?$/;

type Reasons = Map<string, string | undefined>;

function parseDirective(rest: string): Reasons {
  const [ids = '', ...reason] = rest
    .replace(/(?:\*\/|-->)[ \t]*$/, '')
    .trim()
    .split(/[ \t]+--[ \t]+|^--[ \t]+|[ \t]+--$/);
  const text = reason.join(' -- ').trim() || undefined;
  return new Map(
    ids
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((id) => [id, text]),
  );
}

const NONE: SuppressionLookup = () => undefined;

/** Reads the directives of a file once; the returned lookup answers for any rule and 1-based line. */
export function inlineSuppressions(text: string): SuppressionLookup {
  if (!text.includes('apiguard-ignore-')) return NONE;
  const lines = text.split(/\r?\n|\r/);
  const file: Reasons = new Map();
  const byLine = new Map<number, Reasons>();
  let pending: Reasons[] = [];
  lines.forEach((line, index) => {
    const directive = line.includes('apiguard-ignore-') ? DIRECTIVE.exec(line) : null;
    if (directive) {
      const reasons = parseDirective(directive[2]!);
      if (directive[1] === 'file') for (const [id, reason] of reasons) file.set(id, reason);
      else pending.push(reasons);
      return;
    }
    if (pending.length === 0 || COMMENT_OR_BLANK.test(line)) return;
    byLine.set(index + 1, new Map(pending.flatMap((reasons) => [...reasons])));
    pending = [];
  });
  if (file.size === 0 && byLine.size === 0) return NONE;
  return (ruleId, line) => {
    const reasons = byLine.get(line)?.has(ruleId) ? byLine.get(line) : file.has(ruleId) ? file : undefined;
    if (!reasons) return undefined;
    const reason = reasons.get(ruleId);
    return { kind: 'inline', ...(reason ? { reason } : {}) };
  };
}
