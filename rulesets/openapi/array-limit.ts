import { deref, isObject } from '../functions/openapi.ts';
import {
  composedSchemas,
  hasNumber,
  inputNodes,
  isEnumerated,
  schemaSubject,
} from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'array-limit',
    engine: 'openapi',
    severity: 'info',
    title: 'An array the API accepts (parameter or request body) has no `maxItems`.',
    rationale:
      'Without `maxItems` a client may send millions of items in one request, and every layer that trusts the ' +
      'spec (gateway validation, generated servers, the handler looping over them) does that work. Only input ' +
      'schemas are checked: arrays the API returns are its own business. An array of distinct `enum` values ' +
      '(`uniqueItems: true`) is bounded by the enum and is not reported.',
    fix: 'Add `maxItems` with the largest number of items the operation needs, and enforce it.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-array-limit'],
    examples: {
      language: 'yaml',
      vulnerable: 'tags:\n  type: array\n  items: { type: string, maxLength: 30 }\n',
      safe: 'tags:\n  type: array\n  maxItems: 20\n  items: { type: string, maxLength: 30 }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      inputNodes(doc).flatMap((node) => {
        if (!hasType(node.schema, 'array')) return [];
        const schemas = composedSchemas(doc, node);
        if (hasNumber(schemas, 'maxItems') || isEnumerated(schemas) || node.schema.items === false) return [];
        const items = deref(doc, node.schema.items, []).node;
        if (node.schema.uniqueItems === true && isObject(items) && Array.isArray(items.enum)) return [];
        return [
          {
            message: `${schemaSubject(doc, node.path)} is an array with no \`maxItems\`: a client can send any number of items. Add \`maxItems\`.`,
            path: node.path,
          },
        ];
      }),
  },
});
