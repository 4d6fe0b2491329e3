import {
  composedSchemas,
  composedValue,
  hasLowerBound,
  hasUpperBound,
  inputNodes,
  isEnumerated,
  isIdName,
  pathKey,
  schemaName,
  schemaSubject,
  unboundedPageSizeSchemaKeys,
} from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'integer-limit',
    engine: 'openapi',
    severity: 'info',
    title: 'An integer the API accepts (parameter or request body) lacks a `minimum` or a `maximum`.',
    rationale:
      'Unbounded integers reach the handler as huge or negative counts, offsets, quantities and sizes: loops ' +
      'and allocations sized by the client, overflow in narrower server types, negative prices. Only input ' +
      'schemas are checked. In 3.1 a numeric `exclusiveMinimum`/`exclusiveMaximum` is a bound; in 2.0/3.0 the ' +
      'boolean form only modifies `minimum`/`maximum`. Keywords combined through `allOf` count, and `enum` or ' +
      '`const` values are bounded. Identifiers (`id`, `userId`, `order_id`…) with a `format` are looked up, not ' +
      'counted, and are skipped. Page-size parameters without a maximum are reported by ' +
      'pagination-limit-unbounded instead.',
    fix: 'Add both `minimum` and `maximum` with the range the operation accepts.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-integer-limit', 'owasp:api4:2023-integer-limit-legacy'],
    examples: {
      language: 'yaml',
      vulnerable: 'quantity:\n  type: integer\n  format: int32\n',
      safe: 'quantity:\n  type: integer\n  format: int32\n  minimum: 1\n  maximum: 1000\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const pageSizes = unboundedPageSizeSchemaKeys(doc);
      return inputNodes(doc).flatMap((node) => {
        if (!hasType(node.schema, 'integer') || pageSizes.has(pathKey(node.path))) return [];
        const schemas = composedSchemas(doc, node);
        if (isEnumerated(schemas)) return [];
        const name = schemaName(doc, node.path);
        // An identifier is looked up, not counted: its format gives its range.
        if (name !== undefined && isIdName(name) && typeof composedValue(schemas, 'format') === 'string')
          return [];
        const missing = [
          hasLowerBound(schemas) ? '' : 'minimum',
          hasUpperBound(schemas) ? '' : 'maximum',
        ].filter(Boolean);
        if (missing.length === 0) return [];
        const keywords = missing.map((keyword) => `\`${keyword}\``);
        return [
          {
            message: `${schemaSubject(doc, node.path)} is an integer with no ${keywords.join(' or ')}: a client can send any value. Add ${keywords.join(' and ')}.`,
            path: node.path,
          },
        ];
      });
    },
  },
});
