/**
 * Semgrep-style fixture annotations: a comment `ruleid: <id>[, <id>…]` above a line that must be flagged,
 * `ok: <id>` above one that must not. `#` comments in YAML, `//` comments in JSON and TypeScript.
 */
export interface Annotation {
  kind: 'ruleid' | 'ok';
  ruleId: string;
  /** 1-based line the annotation points at: the next line that is neither blank nor a comment. */
  line: number;
}

const ANNOTATION = /^\s*(?:#|\/\/)\s*(ruleid|ok):\s*(.+?)\s*$/;
const COMMENT_OR_BLANK = /^\s*((#|\/\/).*)?$/;

export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const annotations: Annotation[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (!match) return;
    let target = index + 1;
    while (target < lines.length && COMMENT_OR_BLANK.test(lines[target]!)) target++;
    for (const ruleId of match[2]!.split(',')) {
      annotations.push({ kind: match[1] as Annotation['kind'], ruleId: ruleId.trim(), line: target + 1 });
    }
  });
  return annotations;
}

export interface AnnotationMismatch {
  ruleId: string;
  missing: number[];
  unexpected: number[];
}

/** For every rule a file annotates, the lines it is reported on must be exactly its `ruleid` lines. */
export function compareWithAnnotations(
  annotations: Annotation[],
  reported: { ruleId: string; line: number }[],
): AnnotationMismatch[] {
  const mismatches: AnnotationMismatch[] = [];
  for (const ruleId of new Set(annotations.map((a) => a.ruleId))) {
    const expected = new Set(
      annotations.filter((a) => a.ruleId === ruleId && a.kind === 'ruleid').map((a) => a.line),
    );
    const actual = new Set(reported.filter((f) => f.ruleId === ruleId).map((f) => f.line));
    const missing = [...expected].filter((line) => !actual.has(line)).sort((a, b) => a - b);
    const unexpected = [...actual].filter((line) => !expected.has(line)).sort((a, b) => a - b);
    if (missing.length > 0 || unexpected.length > 0) mismatches.push({ ruleId, missing, unexpected });
  }
  return mismatches;
}
