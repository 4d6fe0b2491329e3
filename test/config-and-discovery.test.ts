import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, disabledRules, loadConfig, ruleSetting } from '../src/config/index.ts';
import { discoverFiles } from '../src/discover/index.ts';
import { makeWorkspace } from './helpers/workspace.ts';

function configError(yaml: string): string {
  const dir = makeWorkspace({ '.apiguard.yml': yaml });
  try {
    loadConfig(join(dir, '.apiguard.yml'), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('.apiguard.yml', () => {
  it.each([
    ['failOn: fatal\n', '.apiguard.yml:1: "failOn" must be one of error, warning, info, never.'],
    [
      'rules:\n  string-limit: loud\n',
      '.apiguard.yml:2: "rules.string-limit" must be one of off, error, warning, info.',
    ],
    [
      'limits:\n  timeout: 5\n',
      '.apiguard.yml:2: unknown key "limits.timeout"; allowed here: maxFileSizeMb, timeoutSeconds, memoryMb.',
    ],
    ['overrides:\n  - rules: {}\n', '"overrides.0" is missing "files".'],
    ['include: api/**\n', '"include" must be array.'],
    ['failOn: [error\n', '.apiguard.yml:2: Unexpected end of the stream'],
  ])('%j is refused with a message naming the file, key and what is allowed', (yaml, message) => {
    expect(configError(yaml)).toContain(message);
  });

  it('applies rule settings per path, later overrides winning', () => {
    const dir = makeWorkspace({
      '.apiguard.yml': [
        'rules: { string-limit: off, insecure-transport: warning }',
        'overrides:',
        '  - files: ["public/**"]',
        '    rules: { string-limit: info }',
        '  - files: ["public/legacy/**"]',
        '    rules: { string-limit: off, insecure-transport: off }',
        '',
      ].join('\n'),
    });
    const config = loadConfig(join(dir, '.apiguard.yml'), dir);
    expect(ruleSetting(config, 'string-limit', 'internal/api.yaml', 'info')).toBe('off');
    expect(ruleSetting(config, 'string-limit', 'public/api.yaml', 'info')).toBe('info');
    expect(ruleSetting(config, 'string-limit', 'public/legacy/api.yaml', 'info')).toBe('off');
    expect(ruleSetting(config, 'insecure-transport', 'internal/api.yaml', 'error')).toBe('warning');
    expect(ruleSetting(config, 'array-limit', 'public/api.yaml', 'info')).toBe('info');
    // string-limit is back on somewhere, so the engine still has to run it.
    expect(disabledRules(config)).toEqual([]);
    expect(disabledRules({ ...DEFAULT_CONFIG, rules: { 'array-limit': 'off' } })).toEqual(['array-limit']);
  });
});

describe('file discovery', () => {
  const spec = 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n';

  it('finds specs by name and by their root key, and skips ignored and vendored files', () => {
    const dir = makeWorkspace({
      'api/openapi.yaml': spec,
      'api/petstore.json': '{"openapi": "3.1.0", "info": {"title": "p", "version": "1"}, "paths": {}}',
      'api/legacy.yml': 'swagger: "2.0"\ninfo: { title: l, version: "1" }\npaths: {}\n',
      'api/not-a-spec.yaml': 'name: config\nopenapi_version: 3\n',
      'generated/openapi.yaml': spec,
      'node_modules/pkg/openapi.yaml': spec,
      'vendor/openapi.yaml': spec,
      '.gitignore': 'generated/\n',
    });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const found = discoverFiles({ paths: [dir], root: dir });
    expect(found.specs.map((file) => file.slice(dir.length + 1))).toEqual([
      'api/legacy.yml',
      'api/openapi.yaml',
      'api/petstore.json',
    ]);
  });

  it('scans a file named on the command line even inside a skipped folder', () => {
    const dir = makeWorkspace({ 'dist/openapi.yaml': spec });
    const found = discoverFiles({ paths: [join(dir, 'dist/openapi.yaml')], root: dir });
    expect(found.specs).toEqual([join(dir, 'dist/openapi.yaml')]);
  });

  it('applies include and exclude globs relative to the workspace', () => {
    const dir = makeWorkspace({ 'a/openapi.yaml': spec, 'b/openapi.yaml': spec, 'b/old/openapi.yaml': spec });
    const found = discoverFiles({ paths: [dir], root: dir, include: ['b/**'], exclude: ['**/old/**'] });
    expect(found.specs).toEqual([join(dir, 'b/openapi.yaml')]);
  });
});
