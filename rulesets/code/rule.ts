import type { FlowModel, FlowStep } from '../../src/analyse/code/flow/model.ts';
import type { Route, SourceRange } from '../../src/analyse/code/route.ts';
import type { Severity } from '../../src/findings/finding.ts';
import type { RuleMeta } from '../../src/findings/rule.ts';

/** What a code rule judges: the route model of the whole scan. */
export interface CodeRuleInput {
  routes: readonly Route[];
  /** Some middleware, guard or check in the project authenticates (used by any route or not). */
  hasAuthMechanism: boolean;
  /** Data flows from requests and errors to sinks, error handling and configuration facts. */
  flow: FlowModel;
}

export interface CodeRuleResult {
  location: SourceRange;
  message: string;
  /** Identifies the result when lines move: route rules use `METHOD /full/path`. */
  anchor: string;
  /** A severity other than the rule's default (reads are warnings where writes are errors). */
  severity?: Severity;
  /** The path from source to sink (SARIF `codeFlows`). */
  flow?: FlowStep[];
}

/** An apiguard code rule: metadata beside a pure function of the route model. */
export interface CodeRule {
  meta: RuleMeta & { engine: 'code' };
  check(input: CodeRuleInput): CodeRuleResult[];
}

export function defineCodeRule(rule: CodeRule): CodeRule {
  return rule;
}

/** `GET /users/:id` */
export function routeLabel(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** `listUsers (src/routes/users.ts:12)` or `the handler at src/routes/users.ts:12`. */
export function handlerLabel(route: Pick<Route, 'handler'>): string {
  const where = `${route.handler.file}:${route.handler.line}`;
  return route.handler.name ? `${route.handler.name} (${where})` : `the handler at ${where}`;
}
