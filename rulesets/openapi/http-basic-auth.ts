import { describeScheme, httpAuthScheme, schemeDefinitions, schemeType } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'http-basic-auth',
    engine: 'openapi',
    severity: 'warning',
    title: 'A security scheme uses HTTP Basic authentication.',
    rationale:
      'Basic authentication sends a reusable user name and password, only base64-encoded, with every request. ' +
      'Any log, proxy or TLS-terminating hop that sees one request holds the password; there is no expiry, ' +
      'scoping or revocation short of changing the password. Scheme names are matched case-insensitively ' +
      '(`Basic`, `BASIC`), and Swagger 2.0 `type: basic` is checked too.',
    fix:
      'Use short-lived, scoped tokens instead: OAuth 2 (`type: oauth2`), OpenID Connect, or a bearer token ' +
      '(`type: http`, `scheme: bearer`). If Basic is required for a legacy client, keep it off sensitive ' +
      'operations and serve it over TLS only.',
    cwe: ['CWE-522'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-no-http-basic'],
    examples: {
      language: 'yaml',
      vulnerable: 'components:\n  securitySchemes:\n    login:\n      type: http\n      scheme: Basic\n',
      safe: 'components:\n  securitySchemes:\n    token:\n      type: http\n      scheme: bearer\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) => {
        const oas2Basic = schemeType(definition.scheme) === 'basic';
        if (!oas2Basic && httpAuthScheme(definition.scheme) !== 'basic') return [];
        return [
          {
            message: `${describeScheme(definition)} uses HTTP Basic authentication, which sends a reusable password with every request. Use OAuth 2, OpenID Connect or short-lived bearer tokens instead.`,
            path: [...definition.path, oas2Basic ? 'type' : 'scheme'],
          },
        ];
      }),
  },
});
