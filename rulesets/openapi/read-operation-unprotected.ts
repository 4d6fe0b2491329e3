import { declaresSecurity, effectiveSecurity, formatRoute, operations } from '../functions/openapi.ts';
import { anonymousAccessReason, isPublicInfrastructureRead, READ_METHODS } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'read-operation-unprotected',
    engine: 'openapi',
    severity: 'warning',
    title: 'A read operation (GET, HEAD) has no security requirement while the rest of the API uses one.',
    rationale:
      'When a document declares security but neither a read operation nor the document requires it, the ' +
      'operation is documented as public, often by omission. Reads leak data: users, orders, internal ' +
      'records. Explicitly public reads (`security: []` or an `{}` alternative) and top-level infrastructure ' +
      'endpoints such as `/health` or `/.well-known/…` are accepted.',
    fix:
      'Add a `security` requirement to the operation, or a top-level `security` list for the whole API. If the ' +
      'operation is public by design, say so with `security: []` on the operation.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-read-restricted'],
    examples: {
      language: 'yaml',
      vulnerable: 'paths:\n  /users/{id}:\n    get:\n      responses: { 200: { description: ok } }\n',
      safe:
        'paths:\n  /users/{id}:\n    get:\n      security:\n        - bearerAuth: []\n' +
        '  /catalog:\n    get:\n      security: []  # public by design\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      if (!declaresSecurity(doc)) return []; // reported once by security-undefined
      return operations(doc)
        .filter((op) => READ_METHODS.has(op.method) && !isPublicInfrastructureRead(op.route))
        .flatMap((op) => {
          const security = effectiveSecurity(doc, op.operation);
          if (security.requirements !== undefined) return []; // explicit, public ones included
          return [
            {
              message:
                `${formatRoute(op)} ${anonymousAccessReason(security)}. Require a security scheme, or mark a ` +
                'deliberately public endpoint with `security: []`.',
              path: op.path,
            },
          ];
        });
    },
  },
});
