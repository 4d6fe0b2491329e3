import { defineCrossCheckRule, specLocation } from './rule.ts';

export default defineCrossCheckRule({
  meta: {
    id: 'unimplemented-operation',
    engine: 'openapi',
    severity: 'info',
    title: 'An operation of the OpenAPI description has no route in the code it is paired with.',
    rationale:
      'Operations described but not served (zombie or planned endpoints, OWASP API9 Improper Inventory ' +
      'Management) mislead clients, testers and reviewers, and often mean the spec has drifted from the code: ' +
      'a renamed path, a removed endpoint, a version that is gone. Reported only when most operations of the ' +
      'spec were found in the code, so routes registered in ways apiguard cannot follow do not flood the report.',
    fix:
      'Remove the operation from the spec, implement it, or correct its path or method. An operation served by ' +
      'another service can be silenced with `x-apiguard-ignore: [unimplemented-operation]` on it; if the wrong ' +
      'code is paired with the spec, set `crossCheck.pairs` in `.apiguard.yml`.',
    cwe: ['CWE-1059'],
    owasp: ['API9:2023'],
    category: 'inventory',
    examples: {
      language: 'yaml',
      vulnerable:
        'paths:\n  /v1/reports:        # no route serves it any more\n    get:\n      operationId: listReports\n',
      safe: "paths:\n  /v2/reports:        # router.get('/v2/reports', …)\n    get:\n      operationId: listReports\n",
    },
  },
  check(model) {
    return model.operations
      .filter(
        ({ routes, pair, operation }) =>
          routes.length === 0 && !pair.lowCoverage && operation.method !== 'OPTIONS',
      )
      .map(({ operation, pair, fullPath, normalised }) => ({
        engine: 'openapi' as const,
        location: specLocation(operation.at),
        spec: operation.at,
        anchor: `${operation.method} ${normalised}`,
        message:
          `${operation.method} ${fullPath}${operation.operationId ? ` (${operation.operationId})` : ''} has no route ` +
          `in ${pair.code}: none of its ${pair.routes} routes answers this method and path` +
          `${pair.bases.some(Boolean) ? ` (base path ${pair.bases.filter(Boolean).join(', ')})` : ''}. Remove the ` +
          'operation, implement it, or correct its path.',
      }));
  },
});
