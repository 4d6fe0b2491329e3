import { describeScheme, oauthFlows, schemeDefinitions } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'oauth2-password-flow',
    engine: 'openapi',
    severity: 'warning',
    title: 'An OAuth 2 security scheme offers the resource owner password credentials flow.',
    rationale:
      "The password flow has the client collect the user's password itself: every client becomes a place " +
      'where passwords leak, users learn to type passwords into third-party apps, and multi-factor or ' +
      'federated login cannot be used. The OAuth 2.0 Security Best Current Practice (RFC 9700) says it must ' +
      'not be used, and OAuth 2.1 removes it.',
    fix:
      'Use the authorization code flow with PKCE for users (`flows.authorizationCode`; 2.0: `flow: accessCode`) ' +
      'and the client credentials flow for machine clients.',
    cwe: ['CWE-522'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: 'flows:\n  password:\n    tokenUrl: https://auth.example.com/token\n    scopes: {}\n',
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
          .filter((flow) => flow.kind === 'password')
          .map((flow) => ({
            message: `${describeScheme(definition)} offers the OAuth 2 password flow, which makes clients handle user passwords. Use the authorization code flow with PKCE (or client credentials for machine clients).`,
            path: flow.declaredAt,
          })),
      ),
  },
});
