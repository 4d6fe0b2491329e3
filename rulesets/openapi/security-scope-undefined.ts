import { declaredScopes, definedSchemes, requirementEntries, schemeType } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'security-scope-undefined',
    engine: 'openapi',
    severity: 'warning',
    title: 'A security requirement asks for an OAuth 2 scope its scheme does not declare.',
    rationale:
      'Scopes decide what a token may do. A scope that no flow of the scheme declares is usually a typo or a ' +
      'leftover from a rename: authorization servers never issue it, so either every caller is rejected or ' +
      'the check is relaxed to make things work, and the operation ends up guarded by a weaker scope.',
    fix:
      "Use a scope declared in the scheme's flows (`flows.<flow>.scopes`; 2.0: `scopes`), or declare the new " +
      'scope there.',
    cwe: ['CWE-285'],
    owasp: ['API5:2023'],
    category: 'authorization',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n' +
        '          tokenUrl: https://auth.example.com/token\n          scopes: { orders:read: Read orders }\n' +
        'security:\n  - oauth: [order:read]\n',
      safe:
        'components:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n' +
        '          tokenUrl: https://auth.example.com/token\n          scopes: { orders:read: Read orders }\n' +
        'security:\n  - oauth: [orders:read]\n',
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) => {
      const schemes = definedSchemes(doc) ?? {};
      return requirementEntries(doc).flatMap(({ name, scopes, path }) => {
        const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
        // openIdConnect scopes are free-form and 3.1 roles of other schemes are not declared anywhere.
        if (!scheme || schemeType(scheme) !== 'oauth2' || !Array.isArray(scopes)) return [];
        const declared = declaredScopes(scheme);
        if (!declared) return [];
        return scopes.flatMap((scope, index) =>
          typeof scope === 'string' && !declared.has(scope)
            ? [
                {
                  message: `Scope "${scope}" is not declared by the flows of OAuth 2 scheme "${name}". Use a declared scope or add it to the scheme's \`scopes\`.`,
                  path: [...path, index],
                },
              ]
            : [],
        );
      });
    },
  },
});
