import { formatRoute } from '../functions/openapi.ts';
import { holdsText, isCredentialName, urlParameters } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'credentials-in-url',
    engine: 'openapi',
    severity: 'error',
    title: 'A path or query parameter carries a credential (password, secret, token, API key, session id).',
    rationale:
      'URLs are written to server, proxy and CDN access logs, kept in browser history and bookmarks, and sent ' +
      'to other sites in the Referer header. A password, token or API key in the path or query string leaks ' +
      'through all of them. Pagination cursors (`pageToken`, `nextToken`), CSRF and captcha tokens, ' +
      'idempotency keys, push-device tokens and one-time links mailed to users (invitation, e-mail ' +
      'verification, unsubscribe tokens) are not credentials in this sense and are not flagged; neither are ' +
      'boolean or numeric parameters, session ids in a path (`/sessions/{sessionId}` names a resource), nor ' +
      'collection items such as `/api-keys/{apiKey}`. Password-reset tokens are flagged: they take over accounts.',
    fix:
      'Send the credential in a header (`Authorization`, or a security scheme with `in: header`) or in the ' +
      'request body of a POST, and remove the parameter from the URL.',
    cwe: ['CWE-598'],
    owasp: ['API2:2023'],
    category: 'authentication',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api2:2023-no-credentials-in-url'],
    examples: {
      language: 'yaml',
      vulnerable: 'parameters:\n  - name: access_token\n    in: query\n    schema: { type: string }\n',
      safe: 'parameters:\n  - name: pageToken\n    in: query\n    schema: { type: string }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      urlParameters(doc).flatMap(({ node, name, location, path, uses }) => {
        if (!holdsText(doc, node)) return [];
        const credentialUses =
          uses.length === 0
            ? isCredentialName(name, location)
              ? [undefined]
              : []
            : uses.filter((op) => isCredentialName(name, location, op.route));
        if (credentialUses.length === 0) return [];
        const op = credentialUses[0];
        const where = op ? ` of ${formatRoute(op)}` : '';
        return [
          {
            message: `${location === 'query' ? 'Query' : 'Path'} parameter "${name}"${where} puts a credential in the URL, where logs, browser history and Referer headers capture it. Send it in a header (e.g. \`Authorization\`) or a request body instead.`,
            path: [...path, 'name'],
          },
        ];
      }),
  },
});
