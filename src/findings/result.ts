import type { CrossCheckModel } from '../analyse/crosscheck/model.ts';
import { type Engine, type FailOn, type Finding, reachesThreshold, type Severity } from './finding.ts';

/** What a scan hands to the report stage. */
export interface ScanResult {
  findings: Finding[];
  suppressed: Finding[];
  /** Files analysed per engine, relative to the working directory. */
  files: Record<Engine, string[]>;
  failOn: FailOn;
  durationMs: number;
  /** Where the working directory is inside the repository (`''` at its root): SARIF wants repository paths. */
  cwdInWorkspace: string;
  /** Spec operations joined with code routes (the Action's job summary shows its counts). */
  inventory?: CrossCheckModel;
}

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  byEngine: Record<Engine, number>;
  byRule: Record<string, number>;
  suppressed: { total: number; inline: number; baseline: number };
  files: Record<Engine, number>;
  failOn: FailOn;
  result: 'pass' | 'fail';
  durationMs: number;
}

export function summarize(result: ScanResult): Summary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  const byEngine: Record<Engine, number> = { openapi: 0, code: 0 };
  const byRule: Record<string, number> = {};
  for (const finding of result.findings) {
    bySeverity[finding.severity]++;
    byEngine[finding.engine]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  const countKind = (kind: string) => result.suppressed.filter((f) => f.suppression?.kind === kind).length;
  return {
    total: result.findings.length,
    bySeverity,
    byEngine,
    byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))),
    suppressed: {
      total: result.suppressed.length,
      inline: countKind('inline'),
      baseline: countKind('baseline'),
    },
    files: { openapi: result.files.openapi.length, code: result.files.code.length },
    failOn: result.failOn,
    result: hasFailed(result) ? 'fail' : 'pass',
    durationMs: Math.round(result.durationMs),
  };
}

export function hasFailed(result: Pick<ScanResult, 'findings' | 'failOn'>): boolean {
  return result.findings.some((finding) => reachesThreshold(finding.severity, result.failOn));
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
