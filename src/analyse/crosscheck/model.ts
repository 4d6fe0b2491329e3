/**
 * The joined spec/code model the cross-check rules judge and `apiguard routes --spec` prints. Plain data
 * (JSON-serialisable); rules are pure functions of it.
 */
import type { Route } from '../code/index.ts';
import type { PathMatch } from './paths.ts';
import type { SpecOperation } from './spec-model.ts';
import type { ValidationEvidence } from './validation.ts';

export interface JoinedPair {
  /** The spec, relative to the working directory. */
  spec: string;
  /** The code it is paired with: a package folder, `the repository`, or configured globs. */
  code: string;
  pairedBy: 'configuration' | 'package' | 'only service' | 'most operations';
  /** The base paths in force (`/api/v1`), and how they were chosen when not as declared. */
  bases: string[];
  baseNote?: string;
  operations: number;
  /** Operations with a route of exactly their shape. */
  implemented: number;
  routes: number;
  /**
   * Few operations matched: the code probably registers routes in ways the code engine cannot follow
   * (computed paths, routes built from data), so missing routes are not reported.
   */
  lowCoverage: boolean;
}

export interface OperationRef {
  operation: SpecOperation;
  kind: PathMatch;
  /** Parameter names of the route's path, in order (exact matches). */
  routeParams: string[];
  /** The operation's full path under the base in force (`/api/users/{id}`). */
  fullPath: string;
  /** The same with parameters unnamed (`/api/users/{}`): with the method, the fingerprint anchor. */
  normalised: string;
  /** Set for exact matches of operations that constrain request input. */
  validation?: ValidationEvidence;
}

export type RouteStatus =
  /** An operation of a paired spec has exactly its shape. */
  | 'documented'
  /** In a paired spec's scope (under its base path) and in no operation. */
  | 'undocumented'
  /** Matched only loosely (catch-all, partly unknown path). */
  | 'possible'
  /** Not under the base path of any spec paired with its code. */
  | 'outside'
  /** No spec is paired with its code. */
  | 'no spec'
  /** Listed in `crossCheck.ignoreRoutes` or a conventional health/metrics/documentation endpoint. */
  | 'ignored'
  /** Not judged: RPC/GraphQL endpoints, catch-alls, unknown paths, 404 stubs. */
  | 'not judged';

export interface JoinedRoute {
  route: Route;
  /** The route's path with parameters unnamed (`/users/{}`); regular-expression routes as written. */
  normalised: string;
  status: RouteStatus;
  /** Why it was not judged or was ignored. */
  reason?: string;
  /** The specs paired with its code (relative paths). */
  specs: string[];
  operations: OperationRef[];
}

export interface JoinedOperation {
  operation: SpecOperation;
  pair: JoinedPair;
  fullPath: string;
  normalised: string;
  routes: { route: Route; kind: PathMatch; routeParams: string[] }[];
}

export interface CrossCheckModel {
  pairs: JoinedPair[];
  operations: JoinedOperation[];
  routes: JoinedRoute[];
  unpaired: { spec: string; why: string }[];
}

/** `/api/users/{}`: the path with parameters unnamed, what fingerprints and ignore globs see. */
export function normalisedPath(shapes: readonly string[]): string {
  return `/${shapes.join('/')}`;
}

export type AuthDrift =
  /** The spec requires credentials; nothing in the code authenticates the route. */
  | 'unprotected'
  /** The spec requires credentials; the code declares the route public. */
  | 'declared-public'
  /** The spec lets anonymous callers in (`security: []`, an empty alternative); the code requires authentication. */
  | 'spec-public';

/** One definition for the rule and the inventory. */
export function authDrift(operation: SpecOperation, route: Route): AuthDrift | undefined {
  if (route.rejectsAll) return undefined;
  if (operation.security.kind === 'required') {
    if (route.auth === 'none') return 'unprotected';
    if (route.auth === 'public') return 'declared-public';
    return undefined;
  }
  // A spec that declares no security anywhere says nothing about it (spec rules report that).
  if (operation.security.documented && route.auth === 'required') return 'spec-public';
  return undefined;
}

/** Path parameters named differently in the code, as `[spec name, code name]`, position by position. */
export function renamedParameters(
  operation: SpecOperation,
  routeParams: readonly string[],
): [string, string][] {
  const specParams = operation.pattern.segments.flatMap((segment) =>
    segment.kind === 'fixed' ? segment.params : [],
  );
  if (specParams.length !== routeParams.length) return [];
  return specParams.flatMap((name, index): [string, string][] =>
    name === routeParams[index] ? [] : [[name, routeParams[index]!]],
  );
}
