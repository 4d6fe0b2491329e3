import { authDrift } from '../../src/analyse/crosscheck/model.ts';
import {
  type CrossCheckResult,
  defineCrossCheckRule,
  operationLabel,
  routeLabel,
  routeLocation,
  specLocation,
  stepLabel,
} from './rule.ts';

export default defineCrossCheckRule({
  meta: {
    id: 'spec-code-auth-mismatch',
    engine: ['code', 'openapi'],
    severity: 'error',
    title: 'The spec and the code disagree on whether an operation needs authentication.',
    rationale:
      'The spec promises `security` for an operation, but nothing in front of its handler authenticates the ' +
      'caller (OWASP API2 Broken Authentication): clients, reviewers and scanners that trust the description ' +
      'believe it protected. The reverse (the spec says anyone may call it, the code requires credentials) is ' +
      'reported as information: generated clients will not send credentials and break.',
    fix:
      'Put the authentication middleware, guard or hook the rest of the API uses in front of the route, or, if ' +
      'the endpoint is public by design, say so in the spec (`security: []`). When the spec is the one that is ' +
      'wrong, correct its `security` for the operation.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    examples: {
      language: 'ts',
      vulnerable:
        "// openapi.yaml: DELETE /users/{id} has security: [bearerAuth: []]\nrouter.delete('/users/:id', deleteUser);\n",
      safe: "// openapi.yaml: DELETE /users/{id} has security: [bearerAuth: []]\nrouter.delete('/users/:id', requireAuth, deleteUser);\n",
    },
  },
  check(model) {
    const results: CrossCheckResult[] = [];
    for (const { route, operations } of model.routes) {
      for (const { operation, kind, normalised } of operations) {
        if (kind !== 'exact') continue;
        const drift = authDrift(operation, route);
        if (!drift) continue;
        const anchor = `${operation.method} ${normalised}`;
        const requirement = `\`${operation.security.text}\` (${operation.security.at.file}:${operation.security.at.line})`;
        if (drift === 'spec-public') {
          const evidence = route.chain.find((step) => step.auth);
          results.push({
            engine: 'openapi',
            location: specLocation(operation.security.at),
            spec: operation.security.at,
            anchor,
            severity: 'info',
            message:
              `The spec lets anonymous callers use ${operation.method} ${operation.template} (${operationLabel(operation)}: ` +
              `${operation.security.kind === 'none' ? '`security: []`' : `security \`${operation.security.text}\` allows no credentials`}), ` +
              `but the code requires authentication at ${routeLabel(route)}` +
              `${evidence ? ` (${stepLabel(evidence)})` : ''}. Clients built from the spec ` +
              "will not send credentials; correct the operation's `security`.",
          });
          continue;
        }
        results.push({
          engine: 'code',
          location: routeLocation(route),
          anchor,
          ...(drift === 'declared-public' ? { severity: 'warning' as const } : {}),
          message:
            drift === 'unprotected'
              ? `${routeLabel(route)} has no authentication, but the spec requires ${requirement} for ` +
                `${operation.method} ${operation.template} (${operationLabel(operation)}). Put the authentication ` +
                'the rest of the API uses in front of it, or mark the operation `security: []` if it is public by design.'
              : `${routeLabel(route)} is declared public (${route.public?.detail ?? 'public'}), but the spec requires ` +
                `${requirement} for ${operation.method} ${operation.template} (${operationLabel(operation)}). One of the ` +
                'two is wrong: authenticate the route or mark the operation `security: []`.',
        });
      }
    }
    return results;
  },
});
