import { operations } from '../functions/openapi.ts';
import { documentOrOperations, operationResponses } from '../functions/responses.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'rate-limit-429-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'Operations declare no `429 Too Many Requests` response.',
    rationale:
      'A declared 429 response documents that the API limits request rates and tells clients how a rejected ' +
      'request looks, so they back off instead of retrying harder. A catch-all `4XX` or `default` does not say ' +
      'that a limit exists. When most operations lack a 429, this is reported once for the document; ' +
      'otherwise each operation that lacks it is reported.',
    fix:
      'Add a `429` response (a shared component response is enough) with a `Retry-After` header and the error ' +
      'body your API returns, and make sure the limit is enforced by the gateway or the application.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-rate-limit-responses-429'],
    examples: {
      language: 'yaml',
      vulnerable: "responses:\n  '200':\n    description: ok\n",
      safe: "responses:\n  '200':\n    description: ok\n  '429':\n    $ref: '#/components/responses/TooManyRequests'\n",
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) =>
      documentOrOperations(
        operations(doc),
        (op) => (operationResponses(doc, op).some((response) => response.code === '429') ? 'yes' : 'no'),
        {
          document: (coverage) =>
            `${coverage} a \`429 Too Many Requests\` response. Add one (a shared component response is enough) and make sure requests are rate limited.`,
          operation: (label) =>
            `${label} declares no \`429 Too Many Requests\` response, unlike most operations. Add it (e.g. \`$ref\` the shared 429 response).`,
        },
      ),
  },
});
