import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Route } from '../src/analyse/code/index.ts';
import { functionTextAt } from '../src/analyse/crosscheck/handler-text.ts';
import { matchOperations, methodAnswers, RouteIndex } from '../src/analyse/crosscheck/match.ts';
import { pairSpecs } from '../src/analyse/crosscheck/pairing.ts';
import {
  isOpenEnded,
  matchPaths,
  parameterNames,
  parseCodePath,
  parseSpecPath,
  serverBasePath,
  shapeKey,
} from '../src/analyse/crosscheck/paths.ts';
import { loadSpecModels, type SpecModel, type SpecOperation } from '../src/analyse/crosscheck/spec-model.ts';
import { makeWorkspace } from './helpers/workspace.ts';

const shapes = (path: string, complete = true) =>
  parseCodePath(path, complete).map((pattern) => shapeKey(pattern) ?? '?');
const match = (spec: string, route: string, complete = true) =>
  parseCodePath(route, complete).map((pattern) => matchPaths(parseSpecPath(spec), pattern) ?? 'none');

describe('path normalisation', () => {
  it.each([
    ['/users/:id', 'users/{}'],
    ['/users/[id]', 'users/{}'],
    ['/users/:id(\\d+)', 'users/{}'],
    ['/users/:id{[0-9]+}', 'users/{}'],
    ['/Users/:id/', 'users/{}'],
    ['//users///:id', 'users/{}'],
    ['/files/:name.:ext', 'files/{}.{}'],
    ['/', ''],
  ])('%s has the shape %s', (path, shape) => {
    expect(shapes(path)).toEqual([shape]);
  });

  it('reads OpenAPI templates the same way, parameter names aside', () => {
    expect(shapeKey(parseSpecPath('/users/{userId}'))).toBe('users/{}');
    expect(shapeKey(parseSpecPath('/files/{name}.{ext}'))).toBe('files/{}.{}');
    expect(shapeKey(parseSpecPath('/users/{id}:activate'))).toBe('users/{}:activate');
    expect(parameterNames(parseSpecPath('/orgs/{orgId}/users/{userId}'))).toEqual(['orgId', 'userId']);
    expect(parameterNames(parseCodePath('/orgs/:orgId/users/[userId]', true)[0]!)).toEqual([
      'orgId',
      'userId',
    ]);
  });

  it('expands optional parameters and path-to-regexp 8 optional groups', () => {
    expect(shapes('/users/:id?')).toEqual(['users/{}', 'users']);
    expect(shapes('/users{/:id}').sort()).toEqual(['users', 'users/{}']);
  });

  it('treats wildcards and catch-all segments as open-ended', () => {
    for (const path of [
      '/files/*',
      '/files/*splat',
      '/files/[...path]',
      '/files/[[...path]]',
      '/files/:path*',
      '/files/:path+',
      '/files/(.*)',
    ])
      expect(parseCodePath(path, true).every(isOpenEnded), path).toBe(true);
    expect(isOpenEnded(parseCodePath('/files/:id', true)[0]!)).toBe(false);
  });

  it('keeps unresolved parts of incomplete paths unknown, and Express string patterns too', () => {
    expect(shapes('/api/{version}/users', false)).toEqual(['?']);
    expect(shapes('/ab?cd')).toEqual(['?']);
  });
});

describe('path matching', () => {
  it('matches shapes exactly whatever the parameter syntax', () => {
    expect(match('/users/{userId}', '/users/:id')).toEqual(['exact']);
    expect(match('/users/{userId}', '/users/[id]')).toEqual(['exact']);
    expect(match('/users/{userId}', '/users/me')).toEqual(['none']);
    expect(match('/users/me', '/users/:id')).toEqual(['none']);
    expect(match('/users/{id}/', '/users/:id')).toEqual(['exact']);
  });

  it('tells catch-alls and unknown paths from exact matches', () => {
    expect(match('/files/{name}', '/files/[...path]')).toEqual(['catch-all']);
    expect(match('/files', '/files/[[...path]]')).toEqual(['catch-all']);
    expect(match('/files', '/files/[...path]')).toEqual(['none']);
    expect(match('/api/v2/users', '/api/{version}/users', false)).toEqual(['uncertain']);
    expect(match('/api/users', '/api/{version}/users', false)).toEqual(['none']);
  });

  it('evaluates regular-expression routes where it can', () => {
    expect(match('/api/files/{id}', '/api/{/^\\/files\\/(\\d+)$/}', false)).toEqual(['exact']);
    expect(match('/api/files/{id}', '/api/{/^\\/files\\/([a-z]+)$/}', false)).toEqual(['exact']);
    expect(match('/api/users/{id}', '/api/{/^\\/files\\/(\\d+)$/}', false)).toEqual(['none']);
    expect(match('/api/anything/{id}', '/api/{/.*/}', false)).toEqual(['catch-all']);
    // Shaped like catastrophic backtracking: never run, the match stays uncertain.
    expect(match('/api/files', '/api/{/^(a+)+$/}', false)).toEqual(['uncertain']);
  });

  it('answers HEAD with GET and every method with ALL', () => {
    expect(methodAnswers('GET', 'HEAD')).toBe(true);
    expect(methodAnswers('ALL', 'DELETE')).toBe(true);
    expect(methodAnswers('POST', 'GET')).toBe(false);
  });
});

describe('server base paths', () => {
  it.each([
    ['https://api.example.com/v1/', {}, '/v1'],
    ['https://{region}.example.com/api/{version}', { region: 'eu', version: 'v2' }, '/api/v2'],
    ['/api', {}, '/api'],
    ['//cdn.example.com/assets', {}, '/assets'],
    ['https://api.example.com', {}, ''],
    ['/', {}, ''],
  ])('%s with %o → "%s"', (url, variables, base) => {
    expect(serverBasePath(url, variables)).toBe(base);
  });
});

let line = 0;
function route(method: string, path: string, extra: Partial<Route> = {}): Route {
  line++;
  const at = { file: extra.registration?.file ?? 'src/app.ts', line, column: 1 };
  return {
    framework: 'express',
    method,
    path,
    pathComplete: true,
    registration: { ...at, endLine: line, endColumn: 10 },
    handler: at,
    chain: [],
    auth: 'none',
    ...extra,
  };
}

function operation(method: string, template: string, bases = ['']): SpecOperation {
  const at = {
    file: 'openapi.yaml',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    jsonPath: '$',
    segments: [],
  };
  return {
    spec: 'openapi.yaml',
    method,
    template,
    pattern: parseSpecPath(template),
    bases,
    at,
    security: { kind: 'none', text: 'none', at, documented: false },
    constraints: [],
  };
}

describe('operation matching', () => {
  it('uses the declared base path when it fits', () => {
    const matched = matchOperations(
      [operation('GET', '/users', ['/api/v1']), operation('DELETE', '/users/{id}', ['/api/v1'])],
      new RouteIndex([route('GET', '/api/v1/users'), route('DELETE', '/api/v1/users/:userId')]),
    );
    expect(matched.base).toEqual({ kind: 'declared' });
    expect(matched.matched).toBe(2);
    expect(matched.operations[1]!.matches[0]!.routeParams).toEqual(['userId']);
  });

  it('drops a prefix a proxy strips, or adds one the code mounts, only when more operations match', () => {
    const routes = new RouteIndex([route('GET', '/v1/users'), route('GET', '/v1/teams')]);
    const stripped = matchOperations(
      [operation('GET', '/users', ['/api/v1']), operation('GET', '/teams', ['/api/v1'])],
      routes,
    );
    expect(stripped.base).toEqual({ kind: 'strip', count: 1 });
    expect(stripped.bases).toEqual(['/v1']);
    const prefixed = matchOperations([operation('GET', '/users'), operation('GET', '/teams')], routes);
    expect(prefixed.base).toEqual({ kind: 'replace', base: '/v1' });
    const none = matchOperations([operation('GET', '/projects', ['/api'])], routes);
    expect(none.base).toEqual({ kind: 'declared' });
    expect(none.matched).toBe(0);
  });

  it('lists every route of the same shape instead of picking one', () => {
    const matched = matchOperations(
      [operation('GET', '/users/{id}')],
      new RouteIndex([route('GET', '/users/:id'), route('GET', '/users/:userId'), route('ALL', '/users/*')]),
    );
    expect(matched.operations[0]!.matches.map((m) => m.kind)).toEqual(['exact', 'exact', 'catch-all']);
  });

  it('matches routers never seen mounted only uncertainly, by their path suffix', () => {
    const matched = matchOperations(
      [operation('GET', '/api/users/{id}')],
      new RouteIndex([route('GET', '/users/:id', { unmounted: true, pathComplete: false })]),
    );
    expect(matched.operations[0]!.matches.map((m) => m.kind)).toEqual(['uncertain']);
    expect(matched.matched).toBe(0);
  });
});

describe('default pairing', () => {
  it('reports a tie between services instead of guessing', () => {
    const root = realpathSync(
      makeWorkspace({ 'a/package.json': '{}', 'b/package.json': '{}', 'docs/openapi.yaml': '' }),
    );
    const at = (file: string) => ({ registration: { file, line: 1, column: 1, endLine: 1, endColumn: 1 } });
    const spec: SpecModel = {
      file: join(root, 'docs/openapi.yaml'),
      spec: 'docs/openapi.yaml',
      operations: [operation('GET', '/users')],
    };
    const { pairings, unpaired } = pairSpecs(
      [spec],
      [route('GET', '/users', at('a/app.ts')), route('GET', '/users', at('b/app.ts'))],
      {
        cwd: root,
        workspace: root,
      },
    );
    expect(pairings).toEqual([]);
    expect(unpaired[0]!.why).toMatch(/^a and b implement as many of its operations/);
  });
});

describe('handler text', () => {
  const at = (source: string, marker: string) => {
    const offset = source.indexOf(marker);
    const before = source.slice(0, offset).split('\n');
    return functionTextAt(source, before.length, before[before.length - 1]!.length + 1);
  };

  it('ends an expression-bodied arrow function at the enclosing call', () => {
    const source = "app.get('/a', (req, res) => res.json({ ok: req.body }), other);\n";
    expect(at(source, '(req')).toBe('(req, res) => res.json({ ok: req.body })');
  });

  it('skips braces in strings, template literals, comments and regular expressions', () => {
    const source = [
      "app.post('/a', async (req, res) => {",
      '  const re = /[{]+/g; // }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      '  const text = `${req.body.name} }`;',
      "  /* } */ res.send('}' + text.replace(re, ''));",
      '});',
      'const after = 1;',
    ].join('\n');
    expect(at(source, 'async')).toBe(source.slice(source.indexOf('async'), source.indexOf(');\nconst')));
  });

  it('reads function declarations and class methods, not identifiers', () => {
    const source =
      'export async function POST(req: Request): Promise<Response> {\n  return new Response(await req.text());\n}\nrouter.get("/b", listUsers);\n';
    expect(at(source, 'export')).toMatch(/^export async function POST[\s\S]*\}$/);
    expect(at(source, 'listUsers')).toBeUndefined();
    const method =
      'class C {\n  @Post()\n  create(@Body() dto: Dto) {\n    return dto;\n  }\n  other() {}\n}\n';
    expect(at(method, 'create')).toBe('create(@Body() dto: Dto) {\n    return dto;\n  }');
  });
});

describe('spec operations model', () => {
  it('lists request constraints without repeating string values, and only those that apply to the type', () => {
    const root = realpathSync(
      makeWorkspace({
        'openapi.yaml': [
          'openapi: 3.0.3',
          'info: { title: t, version: "1" }',
          'servers: [{ url: "https://{host}/base/{v}", variables: { host: { default: api.example.com }, v: { enum: [v3, v2] } } }]',
          'paths:',
          '  /keys/{id}:',
          '    servers: [{ url: /other }]',
          '    post:',
          '      security: []',
          '      parameters:',
          '        - { name: id, in: path, required: true, schema: { type: string, format: uuid } }',
          '        - { name: mode, in: query, schema: { type: string, const: do-not-print-me, uniqueItems: true } }',
          '      requestBody:',
          '        content:',
          '          application/json:',
          '            schema: { type: object, properties: { token: { type: string, enum: [a, b], maxLength: 10 } } }',
          '      responses: { "200": { description: ok } }',
          '  /keys:',
          '    get: { responses: { "200": { description: ok } } }',
        ].join('\n'),
      }),
    );
    const { models } = loadSpecModels([join(root, 'openapi.yaml')], {
      cwd: root,
      workspace: { path: root, realPath: root },
      maxFileBytes: 1024 * 1024,
    });
    const [post, get] = models[0]!.operations;
    expect(post!.bases).toEqual(['/other']);
    expect(get!.bases).toEqual(['/base/v3']);
    expect(post!.security).toMatchObject({ kind: 'none', text: 'none', documented: false, at: { line: 8 } });
    expect(
      post!.constraints.map((constraint) => `${constraint.in} ${constraint.summary} :${constraint.at.line}`),
    ).toEqual([
      'path id: format uuid :10',
      'query mode: const :11',
      'body token: enum (2 values) :15',
      'body token: maxLength 10 :15',
    ]);
  });
});
