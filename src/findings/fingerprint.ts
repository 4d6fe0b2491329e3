import { createHash } from 'node:crypto';
import type { Finding, RawFinding } from './finding.ts';

export function hash(...parts: string[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('hex');
}

/**
 * Gives each finding a fingerprint built from its rule, file and anchor (never its line), so it survives
 * edits elsewhere in the file. Findings sharing all three are told apart by their order in the file.
 * `repositoryPath` maps a finding's file to its path in the repository, so fingerprints (and baselines)
 * do not depend on the directory apiguard runs from.
 */
export function fingerprintFindings(
  raw: RawFinding[],
  repositoryPath: (file: string) => string = (file) => file,
): Finding[] {
  const sorted = [...raw].sort((a, b) => a.line - b.line || a.column - b.column);
  const seen = new Map<string, number>();
  return sorted.map(({ anchor, ...finding }) => {
    const key = hash(finding.ruleId, repositoryPath(finding.file), anchor);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { ...finding, fingerprint: hash(key, String(occurrence)).slice(0, 32) };
  });
}

/** Removes findings that share a fingerprint (the same shared file linted from two root documents). */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const finding of findings) {
    if (!byFingerprint.has(finding.fingerprint)) byFingerprint.set(finding.fingerprint, finding);
  }
  return [...byFingerprint.values()];
}
