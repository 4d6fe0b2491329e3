import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/index.ts';
import { readBaseline } from '../../src/filter/baseline.ts';
import {
  type ChangedFiles,
  changedLinesFromGit,
  filterToDiff,
  isInDiff,
  parsePatch,
  parseUnifiedDiff,
} from '../../src/filter/diff.ts';
import { filterFindings, formatBaseline } from '../../src/filter/index.ts';
import { makeWorkspace } from '../helpers/workspace.ts';
import { makeFinding, makeResult } from './helpers/findings.ts';

const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' openapi: 3.0.3',
  '-info: {}',
  '+info:',
  '+  title: Shop',
  ' paths:',
  '   /a: {}',
  '@@ -20,2 +21,3 @@ paths:',
  ' x',
  '+y',
  ' z',
  '\\ No newline at end of file',
].join('\n');

describe('changed lines', () => {
  it('reads a patch: added lines, and every line the diff shows', () => {
    const changes = parsePatch(PATCH);
    expect([...changes.added]).toEqual([2, 3, 22]);
    expect([...changes.shown]).toEqual([1, 2, 3, 4, 5, 21, 22, 23]);
  });

  it('splits git diff output by file, without deleted files, unquoting odd names', () => {
    const diff = [
      'diff --git a/spec.yaml b/spec.yaml',
      'index 1..2 100644',
      '--- a/spec.yaml',
      '+++ b/spec.yaml',
      PATCH,
      'diff --git a/old.yaml b/old.yaml',
      'deleted file mode 100644',
      '--- a/old.yaml',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-gone',
      'diff --git "a/caf\\303\\251 \\"x\\".yaml" "b/caf\\303\\251 \\"x\\".yaml"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/caf\\303\\251 \\"x\\".yaml"',
      '@@ -0,0 +1 @@',
      '+new',
      '',
    ].join('\n');
    const files = parseUnifiedDiff(diff);
    expect([...files.keys()]).toEqual(['spec.yaml', 'café "x".yaml']);
    expect(files.get('café "x".yaml')).toEqual({ added: new Set([1]), shown: new Set([1]) });
  });

  it('decides by filter mode; a file with unknown lines counts as wholly changed', () => {
    const files: ChangedFiles = new Map();
    files.set('spec.yaml', parsePatch(PATCH)).set('big.yaml', 'unknown');
    const at = (mode: 'added' | 'diff_context' | 'file' | 'nofilter', path: string, line: number) =>
      isInDiff({ mode, files }, path, line);
    expect([at('added', 'spec.yaml', 2), at('added', 'spec.yaml', 4), at('added', 'spec.yaml', 40)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([at('diff_context', 'spec.yaml', 4), at('diff_context', 'spec.yaml', 40)]).toEqual([true, false]);
    expect([at('file', 'spec.yaml', 40), at('file', 'other.yaml', 1)]).toEqual([true, false]);
    expect([at('added', 'big.yaml', 999), at('nofilter', 'other.yaml', 1)]).toEqual([true, true]);
  });

  it('keeps what the change answers for, counting the rest; paths are taken relative to the workspace', () => {
    const inside = makeFinding({ file: 'spec.yaml', line: 3 });
    const outside = makeFinding({ file: 'spec.yaml', line: 30 });
    const suppressedOutside = makeFinding({ file: 'spec.yaml', line: 31, suppression: { kind: 'inline' } });
    const files: ChangedFiles = new Map([['api/spec.yaml', parsePatch(PATCH)]]);
    const { result, outside: count } = filterToDiff(
      makeResult([inside, outside], { suppressed: [suppressedOutside], cwdInWorkspace: 'api' }),
      { mode: 'added', files },
    );
    expect(result.findings).toEqual([inside]);
    expect(result.suppressed).toEqual([]);
    expect(count).toBe(1);
  });

  it('runs git diff in the workspace, counting untracked files as added, and refuses option-like revisions', () => {
    const dir = makeWorkspace({ 'spec.yaml': 'a\nb\nc\n' });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    writeFileSync(join(dir, 'spec.yaml'), 'a\nB\nc\nd\n');
    writeFileSync(join(dir, 'new.yaml'), 'x\n');
    const files = changedLinesFromGit(dir, ['HEAD'], { includeUntracked: true });
    expect(files.get('spec.yaml')).toEqual({ added: new Set([2, 4]), shown: new Set([1, 2, 3, 4]) });
    expect(files.get('new.yaml')).toBe('unknown');
    expect(() => changedLinesFromGit(dir, ['--output=/tmp/x'])).toThrow(
      '"--output=/tmp/x" is not a git revision',
    );
    expect(() => changedLinesFromGit(dir, ['no-such-ref'])).toThrow(/^git diff no-such-ref failed: /);
  });
});

describe('baseline', () => {
  it('round-trips the fingerprints of reported findings, sorted for stable diffs', () => {
    const b = makeFinding({ file: 'b.yaml' });
    const a = makeFinding({ file: 'a.yaml' });
    const text = formatBaseline([b, a]);
    expect(JSON.parse(text).findings.map((entry: { file: string }) => entry.file)).toEqual([
      'a.yaml',
      'b.yaml',
    ]);
    const dir = makeWorkspace({ 'baseline.json': text });
    expect(readBaseline(join(dir, 'baseline.json'), dir)).toEqual(new Set([a.fingerprint, b.fingerprint]));
  });

  it('marks baseline findings as existing: suppressed with kind baseline, so they never fail a run', () => {
    const accepted = makeFinding();
    const fresh = makeFinding();
    const inline = makeFinding({ suppression: { kind: 'inline', reason: 'reviewed' } });
    const filtered = filterFindings([accepted, fresh, inline], {
      config: structuredClone(DEFAULT_CONFIG),
      cwd: '/w',
      workspace: '/w',
      baseline: new Set([accepted.fingerprint, inline.fingerprint]),
    });
    expect(filtered.findings.map((f) => f.fingerprint)).toEqual([fresh.fingerprint]);
    expect(filtered.suppressed.map((f) => f.suppression?.kind).sort()).toEqual(['baseline', 'inline']);
  });

  it('names the file and never quotes its content when it is not a baseline', () => {
    const dir = makeWorkspace({
      'broken.json': 'SECRET-CONTENT {',
      'other.json': '{"version": 2}',
    });
    expect(() => readBaseline(join(dir, 'broken.json'), dir)).toThrow(
      'broken.json: the baseline is not valid JSON; create one with `apiguard baseline`.',
    );
    try {
      readBaseline(join(dir, 'broken.json'), dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET');
    }
    expect(() => readBaseline(join(dir, 'other.json'), dir)).toThrow('other.json: not an apiguard baseline');
    expect(() => readBaseline(join(dir, 'missing.json'), dir)).toThrow('missing.json does not exist');
  });

  it('is not read through a symbolic link leading outside the workspace', () => {
    const outside = makeWorkspace({ 'secret.json': '{"version": 1, "findings": []}' });
    const dir = makeWorkspace({});
    mkdirSync(join(dir, 'ci'));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'ci', 'baseline.json'));
    expect(() => readBaseline(join(dir, 'ci', 'baseline.json'), dir)).toThrow(/outside the workspace/);
  });
});
