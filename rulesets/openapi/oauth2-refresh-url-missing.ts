import { describeScheme, oauthFlows, schemeDefinitions } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

/** Flows that issue refresh tokens to a user's client; client credentials and implicit flows do not use them. */
const REFRESHABLE_FLOWS = new Set(['authorizationCode', 'password']);

export default defineSpecRule({
  meta: {
    id: 'oauth2-refresh-url-missing',
    engine: 'openapi',
    severity: 'info',
    title: 'An OAuth 2 authorization-code or password flow declares no `refreshUrl`.',
    rationale:
      'Short-lived access tokens limit the damage of a leaked token, and they are only practical when clients ' +
      'can refresh them. A user-facing flow without a refresh URL tends to come with long-lived access tokens. ' +
      'Client-credentials flows are not flagged: the client simply requests a new token.',
    fix:
      'Issue short-lived access tokens with refresh tokens, and declare the refresh endpoint in the flow ' +
      '(`refreshUrl`, usually the token endpoint).',
    cwe: ['CWE-613'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-short-lived-access-tokens'],
    examples: {
      language: 'yaml',
      vulnerable:
        'flows:\n  authorizationCode:\n    authorizationUrl: https://auth.example.com/authorize\n' +
        '    tokenUrl: https://auth.example.com/token\n    scopes: {}\n',
      safe:
        'flows:\n  authorizationCode:\n    authorizationUrl: https://auth.example.com/authorize\n' +
        '    tokenUrl: https://auth.example.com/token\n    refreshUrl: https://auth.example.com/token\n    scopes: {}\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) =>
        // 2.0 flows (`flow:`) have no refreshUrl field: only 3.x `flows` are checked.
        (definition.scheme.flows === undefined ? [] : oauthFlows(definition))
          .filter((flow) => REFRESHABLE_FLOWS.has(flow.kind) && flow.node.refreshUrl === undefined)
          .map((flow) => ({
            message: `${describeScheme(definition)}: the ${flow.kind} flow declares no \`refreshUrl\`. Issue short-lived access tokens with refresh tokens and declare the refresh endpoint.`,
            path: flow.declaredAt,
          })),
      ),
  },
});
