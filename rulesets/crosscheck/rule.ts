import type { ChainStep, Route } from '../../src/analyse/code/index.ts';
import type { CrossCheckModel } from '../../src/analyse/crosscheck/model.ts';
import type { SpecOperation, SpecPosition } from '../../src/analyse/crosscheck/spec-model.ts';
import type { Engine, Location, Severity } from '../../src/findings/finding.ts';
import type { RuleMeta } from '../../src/findings/rule.ts';

export interface CrossCheckResult {
  /** `code` at a route registration, `openapi` at a place in the spec. */
  engine: Engine;
  location: Location;
  /** Spec results: the JSON path, for the report and `x-apiguard-ignore`. */
  spec?: SpecPosition;
  message: string;
  /** Identifies the result when lines move: method and normalised path, never a line. */
  anchor: string;
  severity?: Severity;
}

/** An apiguard cross-check rule: metadata beside a pure function of the joined spec/code model. */
export interface CrossCheckRule {
  meta: RuleMeta;
  check(model: CrossCheckModel): CrossCheckResult[];
}

export function defineCrossCheckRule(rule: CrossCheckRule): CrossCheckRule {
  return rule;
}

export function routeLocation(route: Route): Location {
  const { file, line, column, endLine, endColumn } = route.registration;
  return { file, line, column, endLine, endColumn };
}

/** `GET /users/:id (src/routes/users.ts:8)` */
export function routeLabel(route: Route): string {
  return `\`${route.method} ${route.path}\` (${route.registration.file}:${route.registration.line})`;
}

/** `getUser, docs/openapi.yaml:42` or `docs/openapi.yaml:42` */
export function operationLabel(operation: SpecOperation): string {
  const where = `${operation.at.file}:${operation.at.line}`;
  return operation.operationId ? `${operation.operationId}, ${where}` : where;
}

export function specLocation(position: SpecPosition): Location {
  const { file, line, column, endLine, endColumn } = position;
  return { file, line, column, endLine, endColumn };
}

/**
 * `requireAuth (src/app.ts:12)`: a chain step by its name when that is a plain identifier, else by its place
 * only. Step names are source text, and `session({ secret: '…' })` would print a secret.
 */
export function stepLabel(step: Pick<ChainStep, 'name' | 'file' | 'line'>): string {
  const where = `${step.file}:${step.line}`;
  return /^[\w$.]{1,80}(\(\))?$/.test(step.name) ? `${step.name}, ${where}` : where;
}
