import { describeScheme, schemeDefinitions, schemeType } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'api-key-in-url',
    engine: 'openapi',
    severity: 'warning',
    title: 'An API key security scheme is sent in the URL (`in: query`).',
    rationale:
      'URLs are written to server, proxy and CDN access logs, kept in browser history and sent to other sites ' +
      'in the Referer header. An API key in the query string leaks through all of them and usually never ' +
      'expires. Swagger 2.0 `securityDefinitions` are checked too.',
    fix: 'Send the key in a header (`in: header`, e.g. `X-API-Key`), or move to OAuth 2 / bearer tokens.',
    cwe: ['CWE-598'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-no-api-keys-in-url'],
    examples: {
      language: 'yaml',
      vulnerable:
        'components:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: query\n      name: api_key\n',
      safe: 'components:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: X-API-Key\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      schemeDefinitions(doc).flatMap((definition) => {
        const { scheme } = definition;
        const location = typeof scheme.in === 'string' ? scheme.in.toLowerCase() : '';
        // `path` is not a valid location for an API key, but a key written there is just as exposed.
        if (schemeType(scheme) !== 'apikey' || (location !== 'query' && location !== 'path')) return [];
        return [
          {
            message: `${describeScheme(definition)} sends its API key in the URL (\`in: ${location}\`), where logs, browser history and Referer headers capture it. Send it in a header instead (\`in: header\`).`,
            path: [...definition.path, 'in'],
          },
        ];
      }),
  },
});
