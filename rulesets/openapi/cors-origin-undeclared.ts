import { type JsonObject, operations } from '../functions/openapi.ts';
import { documentOrOperations, headerNames, responsesDeclare } from '../functions/responses.ts';
import { defineSpecRule } from './rule.ts';

const declaresAllowOrigin = (response: JsonObject) =>
  headerNames(response).includes('access-control-allow-origin');

export default defineSpecRule({
  meta: {
    id: 'cors-origin-undeclared',
    engine: 'openapi',
    severity: 'info',
    title: 'Responses do not declare the `Access-Control-Allow-Origin` header (the CORS policy).',
    rationale:
      'The CORS policy decides which web sites may call the API from a browser with the user’s cookies or ' +
      'tokens. When the spec does not declare it, nobody reviews it, and permissive framework defaults ' +
      '(`*` or a reflected origin) go unnoticed. Only response headers count. When most operations lack it, ' +
      'this is reported once for the document; otherwise each operation that lacks it is reported.',
    fix:
      'Declare `Access-Control-Allow-Origin` on the responses of operations meant for browsers, and document ' +
      'the allowed origins in its description or schema (`enum` of origins). APIs that are never called from ' +
      'browsers can switch this rule off.',
    cwe: ['CWE-942'],
    owasp: ['API8:2023'],
    category: 'configuration',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api8:2023-define-cors-origin'],
    examples: {
      language: 'yaml',
      vulnerable: "responses:\n  '200':\n    description: ok\n",
      safe: "responses:\n  '200':\n    description: ok\n    headers:\n      Access-Control-Allow-Origin:\n        schema: { type: string, enum: ['https://app.example.com'] }\n",
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: (doc: unknown) =>
      documentOrOperations(
        operations(doc),
        (op) => responsesDeclare(doc, op, () => true, declaresAllowOrigin),
        {
          document: (coverage) =>
            `${coverage} an \`Access-Control-Allow-Origin\` response header, so the CORS policy is undocumented. Declare it with the origins allowed to call the API from a browser.`,
          operation: (label) =>
            `${label} declares no \`Access-Control-Allow-Origin\` response header, unlike most operations. Declare the CORS origins it allows.`,
        },
      ),
  },
});
