import { describeScheme, httpAuthScheme, schemeDefinitions } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

/** Outdated HTTP auth-schemes and why each is weak. */
const INSECURE_SCHEMES = new Map([
  ['negotiate', 'SPNEGO/Kerberos negotiation, which falls back to NTLM and ties the API to a Windows domain'],
  ['ntlm', 'NTLM, whose challenge-response is open to relay and offline cracking'],
  ['digest', 'Digest, which relies on MD5 and requires the server to keep recoverable passwords'],
  ['oauth', 'OAuth 1.0, which is deprecated and relies on hand-rolled request signing'],
]);

export default defineSpecRule({
  meta: {
    id: 'insecure-auth-scheme',
    engine: 'openapi',
    severity: 'warning',
    title:
      'A security scheme uses an outdated HTTP authentication scheme (Negotiate, NTLM, Digest, OAuth 1.0).',
    rationale:
      'These HTTP auth-schemes rely on weak or deprecated cryptography (MD5, NTLM challenge-response, OAuth ' +
      '1.0 signatures) and are open to relay, downgrade and offline cracking attacks. Scheme names are matched ' +
      'case-insensitively, as HTTP defines them.',
    fix: 'Use OAuth 2 (`type: oauth2`), OpenID Connect or bearer tokens (`type: http`, `scheme: bearer`) over TLS.',
    cwe: ['CWE-327'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-auth-insecure-schemes'],
    examples: {
      language: 'yaml',
      vulnerable:
        'components:\n  securitySchemes:\n    windows:\n      type: http\n      scheme: Negotiate\n',
      safe: 'components:\n  securitySchemes:\n    token:\n      type: http\n      scheme: bearer\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) => {
        const weakness = INSECURE_SCHEMES.get(httpAuthScheme(definition.scheme) ?? '');
        if (!weakness) return [];
        return [
          {
            message: `${describeScheme(definition)} uses ${weakness}. Use OAuth 2, OpenID Connect or bearer tokens instead.`,
            path: [...definition.path, 'scheme'],
          },
        ];
      }),
  },
});
