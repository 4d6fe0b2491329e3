import { realpathSync } from 'node:fs';
import { ConfigError } from '../config/index.ts';
import type { Finding } from '../findings/finding.ts';
import { relativePath } from '../findings/paths.ts';
import { readWorkspaceFile, UnsafeFileError } from '../workspace.ts';

/**
 * A baseline lists the fingerprints of accepted findings. Findings in it are reported as existing
 * (`suppression.kind: 'baseline'`) and never fail a run, so a team can adopt apiguard on an old API and block only
 * what is new. Fingerprints ignore line numbers, so the baseline survives unrelated edits.
 */
export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = '.apiguard-baseline.json';
const MAX_BASELINE_BYTES = 32 * 1024 * 1024;

interface BaselineEntry {
  fingerprint: string;
  /** For the people reviewing a baseline change; only the fingerprint is matched. */
  ruleId: string;
  file: string;
}

/** The baseline of a scan's reported findings (inline suppressions are already out of them). */
export function formatBaseline(findings: readonly Finding[]): string {
  const entries: BaselineEntry[] = findings
    .map(({ fingerprint, ruleId, file }) => ({ fingerprint, ruleId, file }))
    .sort(
      (a, b) =>
        a.file.localeCompare(b.file) ||
        a.ruleId.localeCompare(b.ruleId) ||
        a.fingerprint.localeCompare(b.fingerprint),
    );
  return `${JSON.stringify({ version: BASELINE_VERSION, tool: 'apiguard', findings: entries }, null, 2)}\n`;
}

/**
 * Reads a baseline's fingerprints. The file must be inside the workspace: on a pull request its content is
 * untrusted, and parse errors never quote it (a symbolic link could point at another file).
 */
export function readBaseline(file: string, workspace: string): Set<string> {
  const shown = relativePath(workspace, file);
  const usage = 'create one with `apiguard baseline`';
  let text: string;
  try {
    text = readWorkspaceFile(file, {
      workspace: { path: workspace, realPath: realpathSync(workspace) },
      maxFileBytes: MAX_BASELINE_BYTES,
    });
  } catch (error) {
    const why = error instanceof UnsafeFileError ? error.message : `${shown} cannot be read`;
    throw new ConfigError(`baseline: ${why}; ${usage}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError(`${shown}: the baseline is not valid JSON; ${usage}.`);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if (
    (data as { version?: unknown } | null)?.version !== BASELINE_VERSION ||
    !Array.isArray(findings) ||
    !findings.every((entry) => typeof entry?.fingerprint === 'string')
  ) {
    throw new ConfigError(
      `${shown}: not an apiguard baseline (expected {"version": ${BASELINE_VERSION}, "findings": [{"fingerprint": …}]}); ${usage}.`,
    );
  }
  return new Set(findings.map((entry: BaselineEntry) => entry.fingerprint));
}
