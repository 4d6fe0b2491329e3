import { renamedParameters } from '../../src/analyse/crosscheck/model.ts';
import {
  type CrossCheckResult,
  defineCrossCheckRule,
  operationLabel,
  routeLabel,
  routeLocation,
} from './rule.ts';

export default defineCrossCheckRule({
  meta: {
    id: 'path-parameter-renamed',
    engine: 'code',
    severity: 'info',
    title: 'A path parameter has a different name in the code than in the spec.',
    rationale:
      'Matching ignores parameter names (`/users/:id` implements `/users/{userId}`), but a different name is ' +
      'drift between the description and the code, and when two parameters swap names (`/orgs/:userId/users/:orgId` ' +
      'against `/orgs/{orgId}/users/{userId}`) the handler reads each value as the other: an authorization check ' +
      'on the wrong identifier (OWASP API1) looks correct in review.',
    fix: "Use the spec's parameter names in the route path, or rename the parameters in the spec to match the code.",
    cwe: ['CWE-1059'],
    owasp: ['API9:2023'],
    category: 'inventory',
    examples: {
      language: 'ts',
      vulnerable:
        "// openapi.yaml: /orgs/{orgId}/members/{memberId}\nrouter.get('/orgs/:memberId/members/:orgId', getMember);\n",
      safe: "// openapi.yaml: /orgs/{orgId}/members/{memberId}\nrouter.get('/orgs/:orgId/members/:memberId', getMember);\n",
    },
  },
  check(model) {
    return model.routes.flatMap(({ route, operations }) => {
      for (const { kind, operation, routeParams, normalised } of operations) {
        const pairs = kind === 'exact' ? renamedParameters(operation, routeParams) : [];
        if (pairs.length === 0) continue;
        const swapped = pairs.some(([spec, code]) =>
          pairs.some(([otherSpec, otherCode]) => otherSpec === code && otherCode === spec),
        );
        const result: CrossCheckResult = {
          engine: 'code',
          location: routeLocation(route),
          anchor: `${operation.method} ${normalised}`,
          message:
            `${routeLabel(route)} names its path parameters ${pairs.map(([spec, code]) => `\`${code}\` where the spec says \`${spec}\``).join(', ')} ` +
            `(${operation.method} ${operation.template}, ${operationLabel(operation)})` +
            (swapped
              ? '. The names are swapped: the handler reads each value as the other parameter; check which identifier its authorization uses.'
              : '. Use the same names in both.'),
        };
        return [swapped ? { ...result, severity: 'warning' as const } : result];
      }
      return [];
    });
  },
});
