import type { Finding } from '../../../src/findings/finding.ts';
import type { ScanResult } from '../../../src/findings/result.ts';
import type { FindingPlace } from '../../../src/report/github/order.ts';

let counter = 0;

/** A finding of a real rule (so rule metadata is found), unique unless a fingerprint is given. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  const line = overrides.line ?? counter;
  return {
    ruleId: 'write-operation-unprotected',
    severity: 'error',
    message: `POST /things${counter} accepts anonymous callers.`,
    file: 'openapi.yaml',
    line,
    column: 5,
    endLine: line,
    endColumn: 9,
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    engine: 'openapi',
    fingerprint: counter.toString(16).padStart(32, '0'),
    ...overrides,
  };
}

export function makeResult(findings: Finding[], overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    findings,
    suppressed: [],
    files: { openapi: ['openapi.yaml'], code: [] },
    failOn: 'error',
    durationMs: 1,
    cwdInWorkspace: '',
    ...overrides,
  };
}

/** Files at the repository root; findings on the given lines count as changed. */
export function placeWith(changedLines: Iterable<number> = []): FindingPlace {
  const changed = new Set(changedLines);
  return { path: (finding) => finding.file, inDiff: (finding) => changed.has(finding.line) };
}
