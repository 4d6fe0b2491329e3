/**
 * Method-aware matching of spec operations to code routes for one spec and the code it describes, under a base
 * path chosen from the spec's `servers`/`basePath` and the code's own prefixes. A route matches an operation
 * exactly (same shape), as a catch-all, or uncertainly (part of its path unknown); only exact matches and clear
 * absences lead to findings.
 */
import type { Route } from '../code/index.ts';
import {
  matchPaths,
  type PathMatch,
  type PathPattern,
  parameterNames,
  parseCodePath,
  parseSpecPath,
  shapeKey,
  startsWithBase,
} from './paths.ts';
import type { SpecOperation } from './spec-model.ts';

export interface RouteMatch {
  route: Route;
  kind: PathMatch;
  /** Parameter names of the route's pattern, in order, when the match is exact. */
  routeParams: string[];
}

export interface OperationResult {
  operation: SpecOperation;
  /** Exact matches first. */
  matches: RouteMatch[];
  /** The operation's paths under the chosen base, as spec templates (`/api/users/{id}`). */
  fullPaths: string[];
}

/** How the spec's declared base paths are mapped onto the code. */
export type BaseChoice =
  | { kind: 'declared' }
  /** A gateway or proxy removes the first `count` segments of the declared base before the code sees it. */
  | { kind: 'strip'; count: number }
  /** The code serves the spec's paths under this prefix, whatever the spec declares. */
  | { kind: 'replace'; base: string };

export interface PairMatch {
  base: BaseChoice;
  /** The base paths in force, for display and to tell which routes the spec is about. */
  bases: string[];
  operations: OperationResult[];
  /** Operations with at least one exact match. */
  matched: number;
}

interface IndexedRoute {
  route: Route;
  patterns: PathPattern[];
}

/** Routes indexed by method-free shape key, for exact lookups; the rest are tried one by one. */
export class RouteIndex {
  readonly routes: readonly IndexedRoute[];
  private readonly byShape = new Map<string, { entry: IndexedRoute; pattern: PathPattern }[]>();
  private readonly others: { entry: IndexedRoute; pattern: PathPattern }[] = [];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => ({ route, patterns: routePatterns(route) }));
    for (const entry of this.routes) {
      for (const pattern of entry.patterns) {
        const key = entry.route.unmounted ? undefined : shapeKey(pattern);
        if (key === undefined) this.others.push({ entry, pattern });
        else this.byShape.set(key, [...(this.byShape.get(key) ?? []), { entry, pattern }]);
      }
    }
  }

  /**
   * Routes answering `method` on a spec path; `exactOnly` skips the routes that can only match loosely (what
   * choosing a base path needs, for any number of candidates).
   */
  find(method: string, spec: PathPattern, exactOnly = false): RouteMatch[] {
    const found = new Map<Route, RouteMatch>();
    const key = shapeKey(spec)!;
    for (const { entry, pattern } of this.byShape.get(key) ?? []) {
      if (methodAnswers(entry.route.method, method))
        found.set(entry.route, { route: entry.route, kind: 'exact', routeParams: parameterNames(pattern) });
    }
    for (const { entry, pattern } of exactOnly ? [] : this.others) {
      if (found.has(entry.route) || !methodAnswers(entry.route.method, method)) continue;
      const kind = entry.route.unmounted ? unmountedMatch(spec, pattern) : matchPaths(spec, pattern);
      if (kind) found.set(entry.route, { route: entry.route, kind, routeParams: parameterNames(pattern) });
    }
    return [...found.values()].sort((a, b) => rank(a.kind) - rank(b.kind));
  }
}

function rank(kind: PathMatch): number {
  return kind === 'exact' ? 0 : kind === 'catch-all' ? 1 : 2;
}

export function routePatterns(route: Route): PathPattern[] {
  return parseCodePath(route.path, route.pathComplete && !route.unmounted);
}

/** A router never seen mounted may sit under any prefix: its path must end the spec path. */
function unmountedMatch(spec: PathPattern, pattern: PathPattern): PathMatch | undefined {
  for (let skip = 0; skip <= spec.segments.length; skip++) {
    if (matchPaths({ segments: spec.segments.slice(skip) }, pattern)) return 'uncertain';
  }
  return undefined;
}

/** `ALL` answers every method; Express and most routers answer HEAD with the GET handler. */
export function methodAnswers(routeMethod: string, operationMethod: string): boolean {
  return (
    routeMethod === operationMethod ||
    routeMethod === 'ALL' ||
    (operationMethod === 'HEAD' && routeMethod === 'GET')
  );
}

function applyBase(choice: BaseChoice, declared: string): string {
  switch (choice.kind) {
    case 'declared':
      return declared;
    case 'strip':
      return declared
        .split('/')
        .filter(Boolean)
        .slice(choice.count)
        .map((s) => `/${s}`)
        .join('');
    case 'replace':
      return choice.base;
  }
}

function matchUnder(
  operations: readonly SpecOperation[],
  index: RouteIndex,
  choice: BaseChoice,
  exactOnly = false,
): PairMatch {
  const bases = new Set<string>();
  let matched = 0;
  const results = operations.map((operation) => {
    const fullPaths = [...new Set(operation.bases.map((base) => applyBase(choice, base)))].map(
      (base) => `${base}${operation.template === '/' && base ? '' : operation.template}`,
    );
    for (const base of operation.bases) bases.add(applyBase(choice, base));
    const matches = new Map<Route, RouteMatch>();
    for (const path of fullPaths) {
      for (const match of index.find(operation.method, parseSpecPath(path), exactOnly)) {
        const known = matches.get(match.route);
        if (!known || rank(match.kind) < rank(known.kind)) matches.set(match.route, match);
      }
    }
    const list = [...matches.values()].sort((a, b) => rank(a.kind) - rank(b.kind));
    if (list[0]?.kind === 'exact') matched++;
    return { operation, matches: list, fullPaths };
  });
  return { base: choice, bases: [...bases], operations: results, matched };
}

/** The first one or two fixed segments of the routes: prefixes a spec without base paths may be served under. */
function codePrefixes(index: RouteIndex): string[] {
  const counts = new Map<string, number>();
  for (const { patterns } of index.routes) {
    const [first, second] = patterns[0]?.segments ?? [];
    if (first?.kind !== 'fixed' || first.params.length > 0) continue;
    counts.set(`/${first.shape}`, (counts.get(`/${first.shape}`) ?? 0) + 1);
    if (second?.kind === 'fixed' && second.params.length === 0) {
      const key = `/${first.shape}/${second.shape}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([prefix]) => prefix);
}

/**
 * Matches a spec's operations against routes, choosing how its base paths map onto the code: as declared,
 * shortened (a proxy strips a prefix), or replaced by a prefix of the code. The declared bases win unless another
 * choice matches strictly more operations exactly; the choice is shown in the inventory.
 */
export function matchOperations(operations: readonly SpecOperation[], index: RouteIndex): PairMatch {
  const declared = matchUnder(operations, index, { kind: 'declared' });
  if (declared.matched === operations.length) return declared;
  let best = { choice: { kind: 'declared' } as BaseChoice, matched: declared.matched };
  const longest = operations.reduce(
    (most, operation) =>
      Math.max(most, ...operation.bases.map((base) => base.split('/').filter(Boolean).length)),
    0,
  );
  const choices: BaseChoice[] = [
    ...Array.from({ length: longest }, (_, count): BaseChoice => ({ kind: 'strip', count: count + 1 })),
    ...codePrefixes(index).map((base): BaseChoice => ({ kind: 'replace', base })),
  ];
  for (const choice of choices) {
    const { matched } = matchUnder(operations, index, choice, true);
    if (matched > best.matched) best = { choice, matched };
  }
  return best.choice.kind === 'declared' ? declared : matchUnder(operations, index, best.choice);
}

/** Whether a route lies under one of the base paths, i.e. is a route this spec is about. */
export function underBases(route: Route, bases: readonly string[]): boolean {
  return routePatterns(route).some((pattern) =>
    bases.some((base) =>
      startsWithBase(
        pattern,
        parseSpecPath(base).segments.map((s) => (s.kind === 'fixed' ? s.shape : '')),
      ),
    ),
  );
}
