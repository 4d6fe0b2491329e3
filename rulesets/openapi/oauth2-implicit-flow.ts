import { describeScheme, oauthFlows, schemeDefinitions } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'oauth2-implicit-flow',
    engine: 'openapi',
    severity: 'warning',
    title: 'An OAuth 2 security scheme offers the implicit flow.',
    rationale:
      'The implicit flow returns the access token in the redirect URL fragment, where browser history, ' +
      'injected scripts and open redirects can capture it, and it cannot bind the token to the client. The ' +
      'OAuth 2.0 Security Best Current Practice (RFC 9700) says not to use it, and OAuth 2.1 removes it.',
    fix:
      'Use the authorization code flow with PKCE (`flows.authorizationCode`; 2.0: `flow: accessCode`) and ' +
      'remove the implicit flow.',
    cwe: ['CWE-522'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'flows:\n  implicit:\n    authorizationUrl: https://auth.example.com/authorize\n    scopes: {}\n',
      safe:
        'flows:\n  authorizationCode:\n    authorizationUrl: https://auth.example.com/authorize\n' +
        '    tokenUrl: https://auth.example.com/token\n    scopes: {}\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) =>
        oauthFlows(definition)
          .filter((flow) => flow.kind === 'implicit')
          .map((flow) => ({
            message: `${describeScheme(definition)} offers the OAuth 2 implicit flow, which hands the access token over in the redirect URL. Use the authorization code flow with PKCE instead.`,
            path: flow.declaredAt,
          })),
      ),
  },
});
