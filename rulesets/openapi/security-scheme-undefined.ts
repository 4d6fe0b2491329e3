import { definedSchemes, requirementEntries, schemesLocation } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'security-scheme-undefined',
    engine: 'openapi',
    severity: 'error',
    title: 'A security requirement names a scheme the document does not define.',
    rationale:
      'A requirement that names an undefined scheme (often a typo or a scheme renamed elsewhere) cannot be ' +
      'enforced: gateways and generated servers either reject the document or silently drop the requirement, ' +
      'leaving the operation unauthenticated.',
    fix:
      'Use the exact name of a scheme defined under `components.securitySchemes` (2.0: `securityDefinitions`), ' +
      'or define the missing scheme there.',
    cwe: ['CWE-306'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'components:\n  securitySchemes:\n    bearerAuth: { type: http, scheme: bearer }\n' +
        'security:\n  - BearerAuth: []\n',
      safe:
        'components:\n  securitySchemes:\n    bearerAuth: { type: http, scheme: bearer }\n' +
        'security:\n  - bearerAuth: []\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      const schemes = definedSchemes(doc);
      if (schemes === undefined) return [];
      const known = Object.keys(schemes);
      const hint =
        known.length === 0
          ? `${schemesLocation(doc)} defines no scheme`
          : `defined: ${known.map((name) => `"${name}"`).join(', ')}`;
      return requirementEntries(doc)
        .filter(({ name }) => !Object.hasOwn(schemes, name))
        .map(({ name, path }) => ({
          message: `The security requirement names "${name}", which is not defined in ${schemesLocation(doc)} (${hint}). Use a defined scheme's exact name or define it.`,
          path,
        }));
    },
  },
});
