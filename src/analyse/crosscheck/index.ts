/**
 * Spec ↔ code cross-check: joins the operations of the OpenAPI descriptions with the routes the code engine
 * found, and runs the cross-check rules (rulesets/crosscheck) on the result. It reads the specs again (with the
 * spec engine's safe loader) and the handlers' source text, never the code engine's AST.
 *
 *   const { findings, model } = crossCheck({ specs, routes }, options);
 */
import { resolve } from 'node:path';
import { minimatch } from 'minimatch';
import { crossCheckRules } from '../../../rulesets/crosscheck/index.ts';
import type { RawFinding } from '../../findings/finding.ts';
import { readWorkspaceText, type SafeReadOptions } from '../../workspace.ts';
import { findSuppression, parseSuppressions, type Route, type SuppressionIndex } from '../code/index.ts';
import { inlineSuppression } from '../openapi/suppressions.ts';
import { matchOperations, type PairMatch, RouteIndex, routePatterns, underBases } from './match.ts';
import type { CrossCheckModel, JoinedOperation, JoinedPair, JoinedRoute, OperationRef } from './model.ts';
import { normalisedPath } from './model.ts';
import { type PairConfig, pairSpecs } from './pairing.ts';
import { isOpenEnded, parseSpecPath, shapeKey } from './paths.ts';
import { loadSpecModels } from './spec-model.ts';
import { enforceableConstraints, validationEvidence } from './validation.ts';

export type {
  CrossCheckModel,
  JoinedOperation,
  JoinedPair,
  JoinedRoute,
  OperationRef,
  RouteStatus,
} from './model.ts';
export { type AuthDrift, authDrift, renamedParameters } from './model.ts';

export interface CrossCheckSettings {
  pairs: readonly PairConfig[];
  /** `[METHOD[,METHOD…]] <path glob>`: routes that need not be documented. */
  ignoreRoutes: readonly string[];
}

export interface CrossCheckOptions extends SafeReadOptions {
  cwd: string;
  disabledRules: readonly string[];
  settings: CrossCheckSettings;
}

export interface CrossCheckOutput {
  findings: RawFinding[];
  model: CrossCheckModel;
}

/** Operations under half of which match: the route model is too incomplete to call the rest missing. */
const MIN_COVERAGE = 0.5;

/** Health, metrics and documentation endpoints: rarely in a spec and never a surprise. */
const CONVENTIONAL_ENDPOINT =
  /(^|\/)(_?health|healthz|healthcheck|health-check|livez|readyz|ready|live|ping|metrics|favicon\.ico|robots\.txt|\.well-known|openapi(\.(json|ya?ml))?|swagger(\.(json|ya?ml))?|api-docs|docs)(\/|$)/i;

export function crossCheck(
  input: { specs: readonly string[]; routes: readonly Route[] },
  options: CrossCheckOptions,
): CrossCheckOutput {
  if (input.specs.length === 0 || input.routes.length === 0) {
    const routes = input.routes.map(
      (route): JoinedRoute => ({
        route,
        normalised: routeShape(route),
        status: 'no spec',
        specs: [],
        operations: [],
      }),
    );
    return { findings: [], model: { pairs: [], operations: [], routes, unpaired: [] } };
  }
  const { models, dataOf } = loadSpecModels(input.specs, options);
  const { pairings, unpaired } = pairSpecs(models, input.routes, {
    cwd: options.cwd,
    workspace: options.workspace.path,
    pairs: options.settings.pairs,
  });
  const disabled = new Set(options.disabledRules);
  const source = sourceReader(options);

  const pairs: JoinedPair[] = [];
  const operations: JoinedOperation[] = [];
  const refsOf = new Map<Route, OperationRef[]>();
  const specsOf = new Map<Route, { spec: string; bases: string[] }[]>();
  for (const pairing of pairings) {
    const matched = matchOperations(pairing.spec.operations, new RouteIndex(pairing.routes));
    const counted = pairing.spec.operations.filter((operation) => operation.method !== 'OPTIONS').length;
    const pair: JoinedPair = {
      spec: pairing.spec.spec,
      code: pairing.code,
      pairedBy: pairing.pairedBy,
      bases: matched.bases,
      ...(matched.base.kind === 'declared'
        ? {}
        : { baseNote: baseNote(matched, pairing.spec.operations.length) }),
      operations: pairing.spec.operations.length,
      implemented: matched.matched,
      routes: pairing.routes.length,
      lowCoverage: matched.matched < counted * MIN_COVERAGE,
    };
    pairs.push(pair);
    for (const route of pairing.routes) {
      specsOf.set(route, [...(specsOf.get(route) ?? []), { spec: pair.spec, bases: matched.bases }]);
    }
    for (const { operation, matches, fullPaths } of matched.operations) {
      const fullPath = fullPaths[0] ?? operation.template;
      const normalised = normalisedPath(shapeKey(parseSpecPath(fullPath))!.split('/').filter(Boolean));
      operations.push({
        operation,
        pair,
        fullPath,
        normalised,
        routes: matches,
      });
      for (const match of matches) {
        const ref: OperationRef = {
          operation,
          kind: match.kind,
          routeParams: match.routeParams,
          fullPath,
          normalised,
        };
        const checked = enforceableConstraints(operation.constraints);
        if (match.kind === 'exact' && checked.length > 0 && !disabled.has('spec-validation-not-enforced')) {
          const places = new Set(checked.map((constraint) => constraint.in));
          ref.validation = validationEvidence(match.route, places, source.text);
        }
        refsOf.set(match.route, [...(refsOf.get(match.route) ?? []), ref]);
      }
    }
  }

  const ignored = ignoreMatcher(options.settings.ignoreRoutes);
  const routes = input.routes.map((route): JoinedRoute => {
    const refs = refsOf.get(route) ?? [];
    const specs = specsOf.get(route) ?? [];
    const joined = {
      route,
      normalised: routeShape(route),
      specs: specs.map(({ spec }) => spec),
      operations: refs,
    };
    return { ...joined, ...routeStatus(route, refs, specs, joined.normalised, ignored) };
  });
  const model: CrossCheckModel = { pairs, operations, routes, unpaired };

  const findings: RawFinding[] = [];
  for (const rule of crossCheckRules) {
    if (disabled.has(rule.meta.id)) continue;
    for (const result of rule.check(model)) {
      const suppression =
        result.engine === 'code'
          ? findSuppression(source.suppressions(result.location.file), rule.meta.id, result.location.line)
          : result.spec &&
            inlineSuppression(
              rule.meta.id,
              result.spec.segments,
              dataOf(resolve(options.cwd, result.spec.file)),
            );
      findings.push({
        ruleId: rule.meta.id,
        severity: result.severity ?? rule.meta.severity,
        message: result.message,
        ...result.location,
        cwe: rule.meta.cwe,
        owasp: rule.meta.owasp,
        category: rule.meta.category,
        engine: result.engine,
        ...(result.spec ? { jsonPath: result.spec.jsonPath } : {}),
        anchor: result.anchor,
        ...(suppression ? { suppression } : {}),
      });
    }
  }
  return { findings, model };
}

function baseNote(matched: PairMatch, total: number): string {
  const where = matched.bases.map((base) => base || '/').join(', ');
  const how =
    matched.base.kind === 'strip'
      ? `without the first ${matched.base.count === 1 ? 'segment' : `${matched.base.count} segments`} of the spec's base path`
      : "under a prefix of the code rather than the spec's base path";
  return `${matched.matched} of ${total} operations match ${how} (${where}); set \`servers\` in the spec if that is how it is served`;
}

function routeStatus(
  route: Route,
  refs: readonly OperationRef[],
  specs: readonly { spec: string; bases: string[] }[],
  normalised: string,
  ignored: (method: string, paths: readonly string[]) => boolean,
): Pick<JoinedRoute, 'status' | 'reason'> {
  if (route.framework === 'trpc') return { status: 'not judged', reason: 'tRPC procedure' };
  if (route.framework === 'nestjs' && route.path.startsWith('/graphql/'))
    return { status: 'not judged', reason: 'GraphQL resolver' };
  if (specs.length === 0) return { status: 'no spec' };
  if (refs.some((ref) => ref.kind === 'exact')) return { status: 'documented' };
  if (refs.length > 0)
    return {
      status: 'possible',
      reason: refs[0]!.kind === 'catch-all' ? 'catch-all route' : 'path partly unknown',
    };
  if (!specs.some(({ bases }) => underBases(route, bases))) return { status: 'outside' };
  const patterns = routePatterns(route);
  const regexRoute = patterns.every((pattern) => pattern.regex);
  if ((!route.pathComplete && !regexRoute) || route.unmounted)
    return { status: 'not judged', reason: 'path partly unknown' };
  if (route.rejectsAll) return { status: 'not judged', reason: 'only answers with an error' };
  if (route.method === 'OPTIONS' || route.method === 'HEAD')
    return { status: 'not judged', reason: `${route.method} route` };
  if (patterns.some(isOpenEnded)) return { status: 'not judged', reason: 'catch-all route' };
  if (ignored(route.method, [route.path, normalised]))
    return { status: 'ignored', reason: 'crossCheck.ignoreRoutes' };
  if ((route.method === 'GET' || route.method === 'ALL') && CONVENTIONAL_ENDPOINT.test(route.path))
    return { status: 'ignored', reason: 'health, metrics or documentation endpoint' };
  return { status: 'undocumented' };
}

/** `/users/{}` for `/users/:id`; regular-expression and other inexpressible routes as written. */
function routeShape(route: Route): string {
  const key = shapeKey(routePatterns(route)[0] ?? { segments: [] });
  return key === undefined ? route.path : normalisedPath(key.split('/').filter(Boolean));
}

/** `GET /health`, `/internal/**`, `GET,HEAD /status`. */
function ignoreMatcher(entries: readonly string[]) {
  const parsed = entries.flatMap((entry) => {
    const match = /^(?:(\*|[A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)\s+)?(\S+)$/.exec(entry.trim());
    if (!match) return [];
    const methods =
      match[1] && match[1] !== '*'
        ? match[1].split(',').map((method) => method.trim().toUpperCase())
        : undefined;
    return [{ methods, glob: match[2]!.replace(/(.)\/$/, '$1') }];
  });
  return (method: string, paths: readonly string[]) =>
    parsed.some(
      ({ methods, glob }) =>
        (!methods || methods.includes(method) || method === 'ALL') &&
        paths.some((path) => minimatch(path.replace(/(.)\/$/, '$1'), glob, { nocase: true, dot: true })),
    );
}

/** Source files read once each, inside the workspace only, for handler text and inline suppressions. */
function sourceReader(options: CrossCheckOptions & { cwd: string }) {
  const texts = new Map<string, string | undefined>();
  const suppressionIndexes = new Map<string, SuppressionIndex>();
  const text = (file: string): string | undefined => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readWorkspaceText(resolve(options.cwd, file), options));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  const suppressions = (file: string): SuppressionIndex => {
    let index = suppressionIndexes.get(file);
    if (!index) {
      index = parseSuppressions(text(file) ?? '');
      suppressionIndexes.set(file, index);
    }
    return index;
  };
  return { text, suppressions };
}
