import {
  effectiveSecurity,
  isEmptyRequirement,
  type Operation,
  operations,
  parameters,
} from '../functions/openapi.ts';
import { operationLabel } from '../functions/path-items.ts';
import { mostLack, operationResponses } from '../functions/responses.ts';
import { defineSpecRule } from './rule.ts';

function requiresCredentials(doc: unknown, op: Operation): boolean {
  const { requirements } = effectiveSecurity(doc, op.operation);
  return requirements?.some((requirement) => !isEmptyRequirement(requirement)) ?? false;
}

function takesInput(doc: unknown, op: Operation): boolean {
  if (op.operation.requestBody !== undefined) return true;
  return parameters(doc, op).some(({ node }) => node.in !== 'path');
}

interface ErrorResponseKind {
  /** How the missing response is named, e.g. "`500` or `5XX`". */
  name: string;
  /** Why the operation needs it, if not every operation does. */
  because?: string;
  appliesTo: (doc: unknown, op: Operation) => boolean;
  declaredBy: (code: string) => boolean;
}

const KINDS: ErrorResponseKind[] = [
  {
    name: '`401`',
    because: 'it requires credentials',
    appliesTo: requiresCredentials,
    declaredBy: (code) => code === '401' || code === '4XX',
  },
  {
    name: '`400` or `422`',
    because: 'it takes input',
    appliesTo: takesInput,
    declaredBy: (code) => ['400', '422', '4XX'].includes(code),
  },
  { name: '`500` or `5XX`', appliesTo: () => true, declaredBy: (code) => /^5(\d\d|XX)$/.test(code) },
];

/**
 * One finding per operation listing what it lacks. A kind of error response that most operations lack
 * is a design choice: it is reported once for the document instead.
 */
function undeclaredErrorResponses(doc: unknown) {
  const checked = operations(doc).flatMap((op) => {
    const codes = [...new Set(operationResponses(doc, op).map(({ code }) => code))];
    if (codes.length === 0) return [];
    const lacks = KINDS.map((kind) => {
      if (!kind.appliesTo(doc, op)) return undefined;
      return !codes.some((code) => code === 'DEFAULT' || kind.declaredBy(code));
    });
    return [{ op, lacks }];
  });
  const documentWide = KINDS.map((kind, index) => {
    const applying = checked.filter(({ lacks }) => lacks[index] !== undefined).length;
    const lacking = checked.filter(({ lacks }) => lacks[index] === true).length;
    if (lacking === 0 || !mostLack(applying - lacking, applying)) return undefined;
    return `${kind.name} response (${applying - lacking} of the ${applying} operations that need one declare it)`;
  });
  const results = checked.flatMap(({ op, lacks }) => {
    const missing = KINDS.flatMap((kind, index) =>
      lacks[index] && !documentWide[index]
        ? [kind.because ? `${kind.name} (${kind.because})` : kind.name]
        : [],
    );
    if (missing.length === 0) return [];
    return [
      {
        message: `${operationLabel(op)} declares no ${missing.join(', no ')} response. Declare the missing responses with an error schema (shared \`4XX\`/\`5XX\` or \`default\` responses are enough), so failures have a reviewed shape that leaks nothing.`,
        path: op.path,
      },
    ];
  });
  const wide = documentWide.filter((text) => text !== undefined);
  if (wide.length === 0) return results;
  return [
    {
      message: `Most operations declare no ${wide.join('; no ')}. Declare these error responses with an error schema; shared \`4XX\`/\`5XX\` or \`default\` responses referenced by every operation are enough.`,
      path: ['paths'],
    },
    ...results,
  ];
}

export default defineSpecRule({
  meta: {
    id: 'error-responses-undeclared',
    engine: 'openapi',
    severity: 'info',
    title:
      'An operation does not declare its error responses (401 when secured, 400/422 when it takes input, 5XX).',
    rationale:
      'Undeclared errors have no agreed shape, so what the server returns on failure is never reviewed or ' +
      'contract-tested: framework defaults that leak stack traces, SQL or internal names go unnoticed, and ' +
      'clients cannot tell an auth failure from a validation error. One finding per operation lists what is ' +
      'missing; a kind of error response that most operations lack is reported once for the document.',
    fix:
      'Declare the missing responses with an error schema (e.g. RFC 9457 problem details). Shared component ' +
      'responses keep it short; a `default` response, or `4XX` and `5XX` ranges, cover them all.',
    cwe: ['CWE-755'],
    owasp: ['API8:2023'],
    category: 'error-handling',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: [
      'owasp:api8:2023-define-error-responses-401',
      'owasp:api8:2023-define-error-responses-500',
      'owasp:api8:2023-define-error-validation',
    ],
    examples: {
      language: 'yaml',
      vulnerable: "post:\n  security: [{ bearer: [] }]\n  responses:\n    '201': { description: created }\n",
      safe: "post:\n  security: [{ bearer: [] }]\n  responses:\n    '201': { description: created }\n    '4XX': { $ref: '#/components/responses/ClientError' }\n    '5XX': { $ref: '#/components/responses/ServerError' }\n",
    },
  },
  given: '$',
  resolved: true,
  then: {
    function: undeclaredErrorResponses,
  },
});
