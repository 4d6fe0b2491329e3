/** The one data type every stage of apiguard exchanges. Version 1 of the JSON output contract. */

export type Severity = 'error' | 'warning' | 'info';
export type Engine = 'openapi' | 'code';
export type FailOn = Severity | 'never';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Higher is more severe; used for sorting and thresholds. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 3 : severity === 'warning' ? 2 : 1;
}

export function reachesThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && severityRank(severity) >= severityRank(failOn);
}

export interface Location {
  /** Path relative to the current working directory, with `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Suppression {
  kind: 'inline' | 'baseline';
  reason?: string;
}

export interface Finding extends Location {
  ruleId: string;
  severity: Severity;
  /** Never contains a secret value. */
  message: string;
  cwe: string[];
  owasp: string[];
  category: string;
  engine: Engine;
  /** Stable across runs and across unrelated edits that shift lines. */
  fingerprint: string;
  /** For spec findings: where in the document, e.g. `$.paths["/users"].post`. */
  jsonPath?: string;
  /** Set when a suppression or the baseline silences this finding. */
  suppression?: Suppression;
  /** For data-flow findings: the path from the source to the sink (the last step is the finding's location). */
  flow?: FlowStep[];
}

/** One place on a data-flow path. */
export interface FlowStep {
  file: string;
  line: number;
  column: number;
  /** What happens there: `req.body.name`, `createUser(…)`, `db.query`. */
  message: string;
}

/** A finding before the pipeline has given it a fingerprint. */
export type RawFinding = Omit<Finding, 'fingerprint'> & {
  /** What identifies the finding inside its file when lines move (json path, code context, secret hash). */
  anchor: string;
};

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}
