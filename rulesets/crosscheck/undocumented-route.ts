import { defineCrossCheckRule, routeLabel, routeLocation } from './rule.ts';

export default defineCrossCheckRule({
  meta: {
    id: 'undocumented-route',
    engine: 'code',
    severity: 'warning',
    title: 'A route in the code is in no operation of the OpenAPI description that covers it.',
    rationale:
      'Endpoints missing from the API description (shadow APIs, OWASP API9 Improper Inventory Management) are ' +
      'invisible to gateways, generated clients, API security testing and reviewers who read the spec: nobody ' +
      'checks their authentication, validation or rate limits. apiguard pairs each spec with the code that ' +
      "serves it and reports routes under the spec's base path that no operation describes (method and path " +
      'shape; parameter names do not matter).',
    fix:
      'Document the endpoint in the spec, or remove it if it is dead code. Endpoints kept out of the public ' +
      'description on purpose (health checks, metrics, admin consoles behind other controls) can be listed in ' +
      '`crossCheck.ignoreRoutes` in `.apiguard.yml` (`GET /internal/**`), or silenced with ' +
      '`// apiguard-ignore-next-line undocumented-route -- reason` above the route.',
    cwe: ['CWE-1059'],
    owasp: ['API9:2023'],
    category: 'inventory',
    examples: {
      language: 'ts',
      vulnerable:
        "// openapi.yaml documents GET /users and GET /users/{id}\nrouter.delete('/users/:id', requireAuth, deleteUser);\n",
      safe: "// openapi.yaml documents GET /users, GET /users/{id} and DELETE /users/{id}\nrouter.delete('/users/:id', requireAuth, deleteUser);\n",
    },
  },
  check(model) {
    return model.routes
      .filter((joined) => joined.status === 'undocumented')
      .map(({ route, normalised, specs }) => ({
        engine: 'code' as const,
        location: routeLocation(route),
        anchor: `${route.method} ${normalised}`,
        message:
          `${routeLabel(route)} is served by the code but documented in no operation of ${specs.join(', ')}` +
          `${route.auth === 'none' ? ', and nothing authenticates it' : ''}. Undocumented endpoints escape ` +
          'gateways, generated clients and security testing; document it, remove it, or list it in ' +
          '`crossCheck.ignoreRoutes`.',
      }));
  },
});
