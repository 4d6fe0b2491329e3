import { deref, isObject } from '../functions/openapi.ts';
import { describeUses, isIdName } from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { urlParameters } from '../functions/security.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'numeric-resource-id',
    engine: 'openapi',
    severity: 'info',
    title:
      'A path or query parameter that identifies a resource (`id`, `userId`, `order_id`…) is an integer.',
    rationale:
      'Sequential integer ids are guessable: an attacker iterates `/orders/1`, `/orders/2`… and every missing ' +
      'object-level authorization check becomes a data leak (BOLA). Unguessable ids do not replace that check, ' +
      'but they stop enumeration. Parameters named `id` or ending in `Id`, `ID`, `_id` or `-id` are checked.',
    fix:
      'Expose unguessable identifiers (`type: string, format: uuid`, or another random id) and check in the ' +
      'handler that the caller may access the object the id names.',
    cwe: ['CWE-639'],
    owasp: ['API1:2023'],
    category: 'authorization',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api1:2023-no-numeric-ids'],
    examples: {
      language: 'yaml',
      vulnerable:
        'parameters:\n  - name: orderId\n    in: path\n    required: true\n    schema: { type: integer }\n',
      safe: 'parameters:\n  - name: orderId\n    in: path\n    required: true\n    schema: { type: string, format: uuid }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      urlParameters(doc).flatMap((parameter) => {
        if (!isIdName(parameter.name)) return [];
        const schema = isObject(parameter.node.schema)
          ? deref(doc, parameter.node.schema, []).node
          : parameter.node;
        if (!isObject(schema) || !hasType(schema, 'integer')) return [];
        const uses = describeUses(parameter.uses);
        const where = parameter.location === 'path' ? 'Path' : 'Query';
        return [
          {
            message: `${where} parameter \`${parameter.name}\`${uses ? ` (${uses})` : ''} is an integer id: sequential ids let a caller enumerate other users' objects. Use an unguessable id (e.g. \`format: uuid\`) and check access to each object.`,
            path: parameter.path,
          },
        ];
      }),
  },
});
