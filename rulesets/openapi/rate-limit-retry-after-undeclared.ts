import { operationLabel, servedOperations } from '../functions/path-items.ts';
import { headerNames, operationResponses } from '../functions/responses.ts';
import { defineSpecRule } from './rule.ts';

function tooManyRequestsWithoutRetryAfter(doc: unknown) {
  const seen = new Set<string>();
  return servedOperations(doc).flatMap((op) =>
    operationResponses(doc, op).flatMap((response) => {
      if (response.code !== '429' || !response.known) return [];
      const key = JSON.stringify(response.path);
      if (seen.has(key) || headerNames(response.node).includes('retry-after')) return [];
      seen.add(key);
      const inline = JSON.stringify(response.path.slice(0, op.path.length)) === JSON.stringify(op.path);
      return [
        {
          message: `The 429 response ${inline ? `of ${operationLabel(op)}` : `\`${String(response.path.at(-1))}\``} does not declare a \`Retry-After\` header. Declare it, so clients know when to retry instead of hammering the API.`,
          path: response.path,
        },
      ];
    }),
  );
}

export default defineSpecRule({
  meta: {
    id: 'rate-limit-retry-after-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'A `429 Too Many Requests` response does not declare a `Retry-After` header.',
    rationale:
      'Clients that are told to slow down but not for how long retry at once, and well-behaved clients turn ' +
      'into a retry storm. `Retry-After` says when to come back. A 429 defined once as a shared component is ' +
      'reported once, where it is defined.',
    fix: 'Add a `Retry-After` header (seconds or an HTTP date) to the 429 response.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-rate-limit-retry-after'],
    examples: {
      language: 'yaml',
      vulnerable: "'429':\n  description: Too many requests\n",
      safe: "'429':\n  description: Too many requests\n  headers:\n    Retry-After:\n      schema: { type: integer }\n",
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: tooManyRequestsWithoutRetryAfter },
});
