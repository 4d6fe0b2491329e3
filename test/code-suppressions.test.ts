import { describe, expect, it } from 'vitest';
import { findSuppression, parseSuppressions } from '../src/analyse/suppressions.ts';

describe('inline suppressions in source and config files', () => {
  const text = [
    '// apiguard-ignore-file hardcoded-secret -- fixtures with fake keys',
    'const a = 1;',
    '// apiguard-ignore-next-line missing-auth, auth-after-route -- public status page',
    '',
    '// a comment in between',
    "app.get('/status', handler);",
    '# apiguard-ignore-next-line missing-auth',
    'KEY=value',
    '/* apiguard-ignore-next-line admin-route-weak-auth -- reviewed */',
    "app.get('/y', h);",
  ].join('\n');
  const index = parseSuppressions(text);

  it('applies next-line directives to the next line that is not blank or a comment, with their reason', () => {
    expect(findSuppression(index, 'missing-auth', 6)).toEqual({
      kind: 'inline',
      reason: 'public status page',
    });
    expect(findSuppression(index, 'auth-after-route', 6)).toEqual({
      kind: 'inline',
      reason: 'public status page',
    });
    expect(findSuppression(index, 'missing-auth', 5)).toBeUndefined();
    expect(findSuppression(index, 'admin-route-weak-auth', 6)).toBeUndefined();
  });

  it('reads # comments (config files) and keeps a missing reason absent', () => {
    expect(findSuppression(index, 'missing-auth', 8)).toEqual({ kind: 'inline' });
  });

  it('applies a directive in a block comment to the following line', () => {
    expect(findSuppression(index, 'admin-route-weak-auth', 10)).toEqual({
      kind: 'inline',
      reason: 'reviewed',
    });
  });

  it('applies file directives everywhere, only to the rules they name', () => {
    expect(findSuppression(index, 'hardcoded-secret', 2)).toEqual({
      kind: 'inline',
      reason: 'fixtures with fake keys',
    });
    expect(findSuppression(index, 'hardcoded-secret', 400)).toEqual({
      kind: 'inline',
      reason: 'fixtures with fake keys',
    });
    expect(findSuppression(index, 'missing-auth', 2)).toBeUndefined();
  });

  it('ignores directives without a rule id and text that merely mentions them', () => {
    const other = parseSuppressions(
      "// apiguard-ignore-next-line\nconst s = 'apiguard-ignore-file missing-auth';\nx();",
    );
    expect(other.file.size).toBe(0);
    expect(findSuppression(other, 'missing-auth', 2)).toBeUndefined();
  });
});

function lookupIn(text: string) {
  const index = parseSuppressions(text);
  return (ruleId: string, line: number) => findSuppression(index, ruleId, line);
}

describe('suppressions in configuration files and stacked directives', () => {
  it('silences the next code line, stacked directives and whole files, with reasons', () => {
    const lookup = lookupIn(
      [
        'const a = 1;',
        '// apiguard-ignore-next-line hardcoded-secret -- emulator key',
        '// apiguard-ignore-next-line other-rule',
        '',
        'const b = 2;',
        'const c = 3;',
        '  /* apiguard-ignore-next-line hardcoded-secret, other-rule */',
        'const d = 4;',
      ].join('\n'),
    );
    expect(lookup('hardcoded-secret', 5)).toEqual({ kind: 'inline', reason: 'emulator key' });
    expect(lookup('other-rule', 5)).toEqual({ kind: 'inline' });
    expect(lookup('hardcoded-secret', 6)).toBeUndefined();
    expect(lookup('hardcoded-secret', 8)).toEqual({ kind: 'inline' });
    expect(lookup('other-rule', 8)).toEqual({ kind: 'inline' });
    expect(lookup('hardcoded-secret', 1)).toBeUndefined();
  });

  it('reads # comments and file directives', () => {
    const lookup = lookupIn('# apiguard-ignore-file hardcoded-secret -- sample data\nA=1\nB=2\n');
    expect(lookup('hardcoded-secret', 3)).toEqual({ kind: 'inline', reason: 'sample data' });
    expect(lookup('other-rule', 3)).toBeUndefined();
  });

  it('ignores directives without a rule id, and text that only mentions one', () => {
    const lookup = lookupIn(
      '// apiguard-ignore-next-line\nconst a = 1;\nconst s = "apiguard-ignore-file hardcoded-secret";\nconst b = 2;',
    );
    expect(lookup('hardcoded-secret', 2)).toBeUndefined();
    expect(lookup('hardcoded-secret', 4)).toBeUndefined();
  });
});
