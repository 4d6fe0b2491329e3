import { describeScheme, httpAuthScheme, schemeDefinitions, schemeType } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

const JWT_FORMAT = /\bjwt\b/i;
const MENTIONS_JWT_BCP = /\bRFC[\s-]?8725\b/i;

export default defineSpecRule({
  meta: {
    id: 'jwt-best-practices',
    engine: 'openapi',
    severity: 'info',
    title: 'A JWT-based security scheme does not state that it follows the JWT best practices of RFC 8725.',
    rationale:
      'JWT validation is easy to get wrong: accepting `alg: none`, confusing HMAC and RSA keys, skipping the ' +
      'audience or expiry check. RFC 8725 lists these pitfalls; saying in the scheme that tokens are issued ' +
      'and validated per RFC 8725 makes the requirement explicit for implementers and reviewers. Applies to ' +
      'bearer schemes with `bearerFormat: JWT` and to OAuth 2 schemes.',
    fix:
      'Mention RFC 8725 in the scheme\'s `description`, e.g. "Tokens are signed JWTs validated per RFC 8725 ' +
      '(allowed algorithms, `iss`, `aud` and `exp` checked)", and make sure the implementation does so.',
    cwe: ['CWE-347'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-jwt-best-practices'],
    examples: {
      language: 'yaml',
      vulnerable:
        'components:\n  securitySchemes:\n    jwt:\n      type: http\n      scheme: bearer\n      bearerFormat: JWT\n',
      safe:
        'components:\n  securitySchemes:\n    jwt:\n      type: http\n      scheme: bearer\n      bearerFormat: JWT\n' +
        '      description: Signed JWTs, validated as recommended by RFC 8725.\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) => {
        const { scheme } = definition;
        const jwtBearer =
          httpAuthScheme(scheme) === 'bearer' &&
          typeof scheme.bearerFormat === 'string' &&
          JWT_FORMAT.test(scheme.bearerFormat);
        if (!jwtBearer && schemeType(scheme) !== 'oauth2') return [];
        const description = typeof scheme.description === 'string' ? scheme.description : undefined;
        if (description !== undefined && MENTIONS_JWT_BCP.test(description)) return [];
        return [
          {
            message: `${describeScheme(definition)} ${jwtBearer ? 'carries JWTs' : 'is an OAuth 2 scheme, whose tokens are usually JWTs,'} but its description does not say they are issued and validated per RFC 8725 (JWT best current practices). State it in \`description\` and make sure validation pins algorithms and checks \`iss\`, \`aud\` and \`exp\`.`,
            path: description === undefined ? definition.path : [...definition.path, 'description'],
          },
        ];
      }),
  },
});
