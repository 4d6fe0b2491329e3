import { operations } from '../functions/openapi.ts';
import {
  documentOrOperations,
  headerNames,
  isRateLimitHeader,
  isSuccessOrClientError,
  responsesDeclare,
} from '../functions/responses.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'rate-limit-headers-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'Responses declare no rate-limit headers (`RateLimit`, `RateLimit-Policy`, `X-RateLimit-*`…).',
    rationale:
      'Rate limiting protects an API from being overloaded and from brute force. Declared rate-limit headers ' +
      'tell clients their budget and show reviewers that a limit exists. When most operations lack them, this ' +
      'is reported once for the document; otherwise each operation that lacks them is reported.',
    fix:
      'Add the rate-limit headers your gateway or framework sends to 2XX and 4XX responses, for example the ' +
      'IETF `RateLimit` and `RateLimit-Policy` headers or `X-RateLimit-Limit`/`X-RateLimit-Remaining`/' +
      '`X-RateLimit-Reset`. A shared header component keeps it short. Any family (or several) is accepted.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-rate-limit'],
    examples: {
      language: 'yaml',
      vulnerable: "responses:\n  '200':\n    description: ok\n",
      safe: "responses:\n  '200':\n    description: ok\n    headers:\n      RateLimit:\n        schema: { type: string }\n",
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) =>
      documentOrOperations(
        operations(doc),
        (op) =>
          responsesDeclare(doc, op, isSuccessOrClientError, (response) =>
            headerNames(response).some(isRateLimitHeader),
          ),
        {
          document: (coverage) =>
            `${coverage} rate-limit response headers. Declare the headers your gateway sends (e.g. \`RateLimit\` or \`X-RateLimit-Remaining\`) on 2XX and 4XX responses, and make sure a limit is enforced.`,
          operation: (label) =>
            `${label} declares no rate-limit headers on its 2XX/4XX responses, unlike most operations. Add the headers the API sends (e.g. \`RateLimit\` or \`X-RateLimit-Remaining\`).`,
        },
      ),
  },
});
