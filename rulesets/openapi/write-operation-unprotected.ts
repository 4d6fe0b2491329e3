import {
  allowsAnonymous,
  declaresSecurity,
  effectiveSecurity,
  formatRoute,
  isConventionallyPublic,
  operations,
  WRITE_METHODS,
} from '../functions/openapi.ts';
import { anonymousAccessReason } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'write-operation-unprotected',
    engine: 'openapi',
    severity: 'error',
    title: 'A state-changing operation (POST, PUT, PATCH, DELETE) can be called without credentials.',
    rationale:
      'Write operations change data. When neither the operation nor the document requires a security scheme, ' +
      'or when the requirement list contains an empty alternative `{}`, anyone can call them. Gateways and ' +
      'generated clients take the spec at its word.',
    fix:
      'Add a `security` requirement to the operation or to the document. If the operation is public by design ' +
      '(sign-up, login, a signed webhook), say so with `security: []` on the operation.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023', 'API5:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-write-restricted'],
    examples: {
      language: 'yaml',
      vulnerable: 'paths:\n  /users:\n    post:\n      security: [{}]\n',
      safe: 'paths:\n  /users:\n    post:\n      security:\n        - bearerAuth: []\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      if (!declaresSecurity(doc)) return []; // reported once by security-undefined
      return operations(doc)
        .filter((op) => WRITE_METHODS.has(op.method))
        .flatMap((op) => {
          const security = effectiveSecurity(doc, op.operation);
          if (!allowsAnonymous(security.requirements)) return [];
          const explicitOptOut = security.source === 'operation';
          if (explicitOptOut && isConventionallyPublic(op.route)) return [];
          return [
            {
              message: `${formatRoute(op)} ${anonymousAccessReason(security)}. Require a security scheme, or mark a deliberately public operation with \`security: []\`.`,
              path: op.path,
            },
          ];
        });
    },
  },
});
