import type { RawFinding } from '../../findings/finding.ts';
import { relativePath } from '../../findings/paths.ts';
import { readWorkspaceText } from '../../workspace.ts';
import { findSuppression, parseSuppressions } from '../suppressions.ts';
import { configFileKind, findSecretsInConfig } from './files.ts';
import type { FoundSecret } from './found.ts';
import { HARDCODED_SECRET, type SecretPlace, secretMessage, secretSeverity } from './rule.ts';

export interface SecretScanOptions {
  /** Findings name files relative to this directory. */
  cwd: string;
  /** Nothing outside the workspace's real path is read; severities depend on paths inside it. */
  workspace: { path: string; realPath: string };
}

export interface SecretScanResult {
  findings: RawFinding[];
  /** Files read, relative to `cwd`. */
  files: string[];
}

/** Source files above this size are generated or bundled, configuration files above it are data. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The file's text, or undefined when it is too large, binary, unreadable or outside the workspace. */
function readBounded(
  path: string,
  maxBytes: number,
  workspace: SecretScanOptions['workspace'],
): string | undefined {
  try {
    return readWorkspaceText(path, { workspace, maxFileBytes: maxBytes });
  } catch {
    return undefined;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1))
    starts.push(index + 1);
  return starts;
}

/** 1-based line and column of an offset. */
function position(starts: number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

function toFindings(
  text: string,
  found: FoundSecret[],
  place: SecretPlace,
  file: string,
  workspacePath: string,
): RawFinding[] {
  if (found.length === 0) return [];
  const starts = lineStarts(text);
  const suppressions = parseSuppressions(text);
  return found.map((secret) => {
    const start = position(starts, secret.start);
    // A multi-line secret (a PEM block) is marked on its first line only: that is where it starts.
    const end = position(starts, Math.max(secret.start, secret.end));
    const suppression = findSuppression(suppressions, HARDCODED_SECRET.id, start.line);
    return {
      ruleId: HARDCODED_SECRET.id,
      severity: secretSeverity(secret, workspacePath),
      message: secretMessage(secret, place),
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      cwe: HARDCODED_SECRET.cwe,
      owasp: HARDCODED_SECRET.owasp,
      category: HARDCODED_SECRET.category,
      engine: 'code',
      // The hash, never the value: the fingerprint survives edits and moves within the file.
      anchor: `secret:${secret.match.id}:${secret.match.hash}`,
      ...(suppression ? { suppression } : {}),
    };
  });
}

/** The scan gives the event loop a turn this often, so the engines' worker threads keep being fed. */
const YIELD_EVERY_MS = 25;

/**
 * Hardcoded secrets in TypeScript/JavaScript sources and in configuration and key files. Each file is read
 * once, within size bounds; a file that cannot be read or parsed is skipped or read as plain text. Runs on
 * the main thread beside the engines' workers, yielding regularly: start it, then await the workers.
 */
export async function scanSecrets(
  discovered: { sources: readonly string[]; secretFiles: readonly string[] },
  options: SecretScanOptions,
): Promise<SecretScanResult> {
  const findings: RawFinding[] = [];
  const files: string[] = [];
  type Find = (text: string) => { found: FoundSecret[]; place: SecretPlace };
  const work: { path: string; maxBytes: number; find: Find }[] = [];
  // The TypeScript parser is loaded only when there is code to read.
  const { findSecretsInCode } =
    discovered.sources.length > 0 ? await import('./code.ts') : { findSecretsInCode: () => [] };
  for (const path of discovered.sources) {
    work.push({
      path,
      maxBytes: MAX_SOURCE_BYTES,
      find: (text) => ({ found: findSecretsInCode(text, path), place: 'code' }),
    });
  }
  for (const path of discovered.secretFiles) {
    const kind = configFileKind(path);
    if (kind)
      work.push({
        path,
        maxBytes: MAX_CONFIG_BYTES,
        find: (text) => ({ found: findSecretsInConfig(text, kind), place: kind }),
      });
  }
  let slice = performance.now();
  for (const { path, maxBytes, find } of work) {
    if (performance.now() - slice > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const text = readBounded(path, maxBytes, options.workspace);
    if (text === undefined) continue;
    const file = relativePath(options.cwd, path);
    files.push(file);
    const { found, place } = find(text);
    findings.push(...toFindings(text, found, place, file, relativePath(options.workspace.path, path)));
  }
  return { findings, files };
}
