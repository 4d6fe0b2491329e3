import { resolve } from 'node:path';
import { type Config, ruleSetting } from '../config/index.ts';
import { compareFindings, type Finding, type Severity } from '../findings/finding.ts';
import { relativePath } from '../findings/paths.ts';
import { findRule } from '../rules/index.ts';

export interface FilterContext {
  config: Config;
  cwd: string;
  workspace: string;
  /** Fingerprints of accepted findings (see baseline.ts): reported as existing, never failing a run. */
  baseline?: ReadonlySet<string>;
}

export interface Filtered {
  /** Findings to report, sorted by file and line. */
  findings: Finding[];
  /** Findings silenced by an inline suppression or the baseline, kept for the summary and SARIF. */
  suppressed: Finding[];
}

/** Applies the configuration's rule settings (per path) and separates suppressed and baseline findings. */
export function filterFindings(findings: readonly Finding[], context: FilterContext): Filtered {
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of findings) {
    const workspacePath = relativePath(context.workspace, resolve(context.cwd, finding.file));
    const defaultSeverity: Severity = findRule(finding.ruleId)?.severity ?? finding.severity;
    const setting = ruleSetting(context.config, finding.ruleId, workspacePath, defaultSeverity);
    if (setting === 'off') continue;
    // A rule may grade its own results (a generic secret is a warning); only an explicit setting overrides that.
    const configured = setting !== defaultSeverity ? setting : finding.severity;
    const adjusted: Finding = { ...finding, severity: configured };
    if (!adjusted.suppression && context.baseline?.has(finding.fingerprint)) {
      adjusted.suppression = { kind: 'baseline' };
    }
    (adjusted.suppression ? suppressed : kept).push(adjusted);
  }
  return { findings: kept.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

export { DEFAULT_BASELINE_FILE, formatBaseline, readBaseline } from './baseline.ts';
export {
  type ChangedFiles,
  changedLinesFromGit,
  type DiffFilter,
  FILTER_MODES,
  type FilterMode,
  filterToDiff,
} from './diff.ts';
