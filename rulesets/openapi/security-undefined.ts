import { declaresSecurity, isOas2, operations } from '../functions/openapi.ts';
import { definedSchemes, schemesLocation } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'security-undefined',
    engine: 'openapi',
    severity: 'warning',
    title: 'The API describes operations but declares no security scheme or requirement anywhere.',
    rationale:
      'Without any security scheme or `security` requirement, the description says every operation is public. ' +
      'Gateways, generated clients and reviewers cannot tell whether authentication exists at all, and a ' +
      'forgotten check goes unnoticed. Reported once per document rather than once per operation.',
    fix:
      'Define the schemes the API uses under `components.securitySchemes` (2.0: `securityDefinitions`) and ' +
      'require one with a top-level `security` list; mark deliberately public operations with `security: []`.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: 'openapi: 3.1.0\npaths:\n  /users:\n    get: {}\n',
      safe:
        'openapi: 3.1.0\nsecurity:\n  - bearer: []\ncomponents:\n  securitySchemes:\n' +
        '    bearer: { type: http, scheme: bearer }\npaths:\n  /users:\n    get: {}\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      if (operations(doc).length === 0 || declaresSecurity(doc)) return [];
      // A schemes section behind a $ref that could not be read may well declare schemes.
      if (definedSchemes(doc) === undefined) return [];
      return [
        {
          message:
            `The API declares no security: no scheme in ${schemesLocation(doc)} and no \`security\` requirement, ` +
            'so every operation is documented as public. Define the schemes it uses and require them with a ' +
            'top-level `security` list (`security: []` marks public operations).',
          path: [isOas2(doc) ? 'swagger' : 'openapi'],
        },
      ];
    },
  },
});
