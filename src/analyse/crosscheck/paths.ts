/**
 * Route paths of every framework and OpenAPI path templates as comparable patterns:
 * `/users/:id`, `/users/{id}`, `/users/[id]` and `/users/:id(\\d+)` are the same shape, `users/{}`; the
 * parameter names are kept aside so renamed parameters can be reported.
 */

export type Segment =
  /** Literal text and parameters inside one segment; `shape` is the text with each parameter as `{}`. */
  | { kind: 'fixed'; shape: string; params: string[] }
  /** Matches the rest of the path: `*`, `/*splat`, `[...slug]`, `:path*`, `(.*)`. */
  | { kind: 'rest'; optional: boolean }
  /** A part the code engine could not resolve (`{expression}`), or a pattern segment (`ab?cd`): one or more segments. */
  | { kind: 'unknown' };

export interface PathPattern {
  segments: Segment[];
  /** A regular-expression route (Express): tested against the rest of the path after `segments`. */
  regex?: RegExp;
  /** The regular expression could not be used (too long, or shaped like catastrophic backtracking). */
  unusableRegex?: true;
}

/** `users/{}` for patterns made of fixed segments only: what exact matches are indexed by. */
export function shapeKey(pattern: PathPattern): string | undefined {
  if (pattern.regex || pattern.unusableRegex) return undefined;
  const shapes: string[] = [];
  for (const segment of pattern.segments) {
    if (segment.kind !== 'fixed') return undefined;
    shapes.push(segment.shape);
  }
  return shapes.join('/');
}

export function parameterNames(pattern: PathPattern): string[] {
  return pattern.segments.flatMap((segment) => (segment.kind === 'fixed' ? segment.params : []));
}

function splitSegments(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Literal text compares case-insensitively (Express and most routers are case-insensitive by default). */
function literal(text: string): string {
  return text.toLowerCase().replace(/[{}]/g, '');
}

/** An OpenAPI path template, `/users/{id}` or `/files/{name}.{ext}`, under a base path. */
export function parseSpecPath(template: string): PathPattern {
  return {
    segments: splitSegments(template.replace(/[?#].*$/, '')).map((segment) => {
      const params: string[] = [];
      const shape = segment.replace(/\{([^{}]*)\}|[^{]+/g, (whole, name: string | undefined) => {
        if (name === undefined) return literal(whole);
        params.push(name);
        return '{}';
      });
      return { kind: 'fixed', shape, params };
    }),
  };
}

/** Express/Koa/Fastify/Hono/NestJS parameter: `:id`, `:id?`, `:id(\\d+)`, `:id{[0-9]+}`, `:path*`, `:path+`. */
const COLON_PARAM = /:([A-Za-z_$][\w$]*)(\((?:\\.|[^()\\]|\([^()]*\))*\)|\{[^{}]*\})?([?*+])?/g;

/**
 * A route path as the code engine reports it (full path, the framework's syntax; unresolved parts as
 * `{expression}`). Optional parts (`:id?`, `{/:id}`) give several patterns.
 */
export function parseCodePath(path: string, complete: boolean): PathPattern[] {
  const regexRoute = /\{(\/.+\/[a-z]*)\}$/s.exec(path);
  if (regexRoute && !complete) {
    const prefix = path.slice(0, regexRoute.index);
    const compiled = compileRouteRegex(regexRoute[1]!);
    const base = parseCodePath(prefix, true)[0]!;
    return [
      compiled
        ? { segments: base.segments, regex: compiled }
        : { segments: base.segments, unusableRegex: true },
    ];
  }
  const variants = complete ? expandOptionalGroups(path) : [path];
  const patterns: PathPattern[] = [];
  for (const variant of variants) {
    let options: Segment[][] = [[]];
    for (const raw of splitSegments(variant)) {
      const parsed = parseCodeSegment(raw, complete);
      options = options.flatMap((prefix) =>
        parsed.map((segment) => (segment ? [...prefix, segment] : prefix)),
      );
      if (options.length > 16) options = options.slice(0, 16);
    }
    patterns.push(...options.map((segments) => ({ segments })));
  }
  return patterns;
}

/** path-to-regexp 8 (Express 5) optional groups: `/users{/:id}` is `/users` and `/users/:id`. */
function expandOptionalGroups(path: string): string[] {
  const group = /\{([^{}]*)\}/.exec(path);
  if (!group || /^\{\//.test(group[0]) === false) return [path];
  const before = path.slice(0, group.index);
  const after = path.slice(group.index + group[0].length);
  return [...expandOptionalGroups(before + after), ...expandOptionalGroups(before + group[1] + after)].slice(
    0,
    8,
  );
}

/** One segment in its variants; `undefined` stands for "absent" (an optional parameter left out). */
function parseCodeSegment(raw: string, complete: boolean): (Segment | undefined)[] {
  if (!complete && /\{.*\}/.test(raw)) return [{ kind: 'unknown' }];
  if (raw === '*' || raw === '(.*)' || raw === '**' || /^\*\w*$/.test(raw) || /^\{\*\w*\}$/.test(raw))
    return [{ kind: 'rest', optional: true }];
  const catchAll = /^\[(\[)?\.\.\.[^\]]+\]\]?$/.exec(raw);
  if (catchAll) return [{ kind: 'rest', optional: catchAll[1] !== undefined }];
  const nextParam = /^\[([^\].]+)\]$/.exec(raw);
  if (nextParam) return [{ kind: 'fixed', shape: '{}', params: [nextParam[1]!] }];
  const whole = new RegExp(`^${COLON_PARAM.source}$`).exec(raw);
  if (whole) {
    const [, name, , modifier] = whole;
    if (modifier === '*') return [{ kind: 'rest', optional: true }];
    if (modifier === '+') return [{ kind: 'rest', optional: false }];
    const segment: Segment = { kind: 'fixed', shape: '{}', params: [name!] };
    return modifier === '?' ? [segment, undefined] : [segment];
  }
  const params: string[] = [];
  const shape = raw.replace(COLON_PARAM, (_whole, name: string) => {
    params.push(name);
    return '\0';
  });
  // Express 4 string patterns (`ab?cd`, `ab+cd`, `ab(cd)?`) and wildcards inside a segment.
  if (/[?+*()[\]{}]/.test(shape)) return [{ kind: 'unknown' }];
  return [{ kind: 'fixed', shape: literal(shape).replace(/\0/g, '{}'), params }];
}

/** Longer regular expressions in route paths are not evaluated. */
const MAX_REGEX_LENGTH = 500;

/**
 * Compiles a regular-expression route literal written in the analysed repository, refusing long ones and those
 * with a quantified group that itself contains a quantifier (the shape of catastrophic backtracking).
 */
function compileRouteRegex(literalText: string): RegExp | undefined {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(literalText);
  if (!match) return undefined;
  const [, source = '', flags = ''] = match;
  if (
    source.length > MAX_REGEX_LENGTH ||
    /\([^()]*[+*][^()]*\)[+*{]/.test(source) ||
    /\([^()]*\([^()]*[+*]/.test(source)
  )
    return undefined;
  try {
    return new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch {
    return undefined;
  }
}

/** How a code route relates to a spec operation's path. */
export type PathMatch =
  /** Same shape, segment for segment. */
  | 'exact'
  /** The route is a catch-all (`*`, `[...slug]`, a regular expression that accepts anything) covering the path. */
  | 'catch-all'
  /** The route's path is partly unknown; it may be this one. */
  | 'uncertain';

/** Values tried for spec parameters when testing a regular-expression route. */
const SAMPLE_VALUES = ['1', 'a', 'a1', '00000000-0000-4000-8000-000000000000'];
const PROBE_PATH = '/apiguard-probe/x/y/z';

/**
 * Whether a route pattern answers the path of a spec pattern. `spec` must come from `parseSpecPath` (fixed
 * segments only).
 */
export function matchPaths(spec: PathPattern, route: PathPattern): PathMatch | undefined {
  const shapes = spec.segments.map((segment) => (segment.kind === 'fixed' ? segment.shape : ''));
  if (route.regex || route.unusableRegex) {
    const prefix = route.segments.map((segment) => (segment.kind === 'fixed' ? segment.shape : undefined));
    if (prefix.some((shape, index) => shape === undefined || shape !== shapes[index])) return undefined;
    if (!route.regex) return 'uncertain';
    const rest = shapes.slice(prefix.length);
    const samples = SAMPLE_VALUES.map(
      (value) => `/${rest.map((shape) => shape.replace(/\{\}/g, value)).join('/')}`,
    );
    if (!samples.some((sample) => route.regex!.test(sample))) return undefined;
    return route.regex.test(PROBE_PATH) ? 'catch-all' : 'exact';
  }
  let uncertain = false;
  let catchAll = false;
  const visit = (specIndex: number, routeIndex: number, budget: { steps: number }): boolean => {
    if (--budget.steps < 0) return false;
    if (routeIndex === route.segments.length) return specIndex === shapes.length;
    const segment = route.segments[routeIndex]!;
    switch (segment.kind) {
      case 'fixed':
        return (
          specIndex < shapes.length &&
          shapes[specIndex] === segment.shape &&
          visit(specIndex + 1, routeIndex + 1, budget)
        );
      case 'rest':
        for (let end = segment.optional ? specIndex : specIndex + 1; end <= shapes.length; end++) {
          if (visit(end, routeIndex + 1, budget)) {
            catchAll = true;
            return true;
          }
        }
        return false;
      case 'unknown':
        for (let end = specIndex + 1; end <= shapes.length; end++) {
          if (visit(end, routeIndex + 1, budget)) {
            uncertain = true;
            return true;
          }
        }
        return false;
    }
  };
  if (!visit(0, 0, { steps: 10_000 })) return undefined;
  return uncertain ? 'uncertain' : catchAll ? 'catch-all' : 'exact';
}

/** A route that answers whole subtrees (`*`, `[...slug]`, a regular expression accepting anything) or unknown paths. */
export function isOpenEnded(pattern: PathPattern): boolean {
  if (pattern.unusableRegex) return true;
  if (pattern.regex) return pattern.regex.test(PROBE_PATH);
  return pattern.segments.some((segment) => segment.kind !== 'fixed');
}

/** Whether the route path starts with the base path (segment-wise): the part of the code a spec describes. */
export function startsWithBase(route: PathPattern, base: readonly string[]): boolean {
  for (const [index, shape] of base.entries()) {
    const segment = route.segments[index];
    if (!segment) return false;
    if (segment.kind === 'rest' || segment.kind === 'unknown') return true;
    if (segment.shape !== shape && segment.shape !== '{}' && shape !== '{}') return false;
  }
  return true;
}

/** `https://{host}/api/{version}` with defaults → `/api/v1`; relative `/api` as is; `''` for the root. */
export function serverBasePath(url: string, variables: Record<string, string>): string {
  const filled = url.replace(/\{([^{}]+)\}/g, (whole, name: string) => variables[name] ?? whole);
  const withoutOrigin = filled.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '');
  const path = withoutOrigin.replace(/[?#].*$/, '');
  return normaliseBase(path.startsWith('/') ? path : `/${path}`);
}

/** `/api/v1/` → `/api/v1`, `/` → `''`. */
export function normaliseBase(path: string): string {
  const segments = splitSegments(path);
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}
