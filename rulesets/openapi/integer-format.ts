import {
  composedSchemas,
  composedValue,
  hasLowerBound,
  hasUpperBound,
  inputNodes,
  isEnumerated,
  schemaSubject,
} from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'integer-format',
    engine: 'openapi',
    severity: 'info',
    title: 'An integer the API accepts has no `format` (`int32` or `int64`).',
    rationale:
      'Without a format, clients, gateways and servers pick their own integer width: a value one layer ' +
      'accepts overflows or is truncated in another. Only input schemas are checked. An integer bounded by ' +
      'both `minimum` and `maximum`, or restricted by `enum`/`const`, already states its range and is not ' +
      'reported; keywords combined through `allOf` count.',
    fix: 'Add `format: int32` or `format: int64` (or bound the value with `minimum` and `maximum`).',
    cwe: ['CWE-20'],
    owasp: ['API4:2023'],
    category: 'input-validation',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-integer-format'],
    examples: {
      language: 'yaml',
      vulnerable: 'offset:\n  type: integer\n  minimum: 0\n',
      safe: 'offset:\n  type: integer\n  format: int32\n  minimum: 0\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      inputNodes(doc).flatMap((node) => {
        if (!hasType(node.schema, 'integer')) return [];
        const schemas = composedSchemas(doc, node);
        if (typeof composedValue(schemas, 'format') === 'string' || isEnumerated(schemas)) return [];
        if (hasLowerBound(schemas) && hasUpperBound(schemas)) return [];
        return [
          {
            message: `${schemaSubject(doc, node.path)} is an integer with no \`format\`: its width is left to each implementation. Add \`format: int32\` or \`format: int64\`.`,
            path: node.path,
          },
        ];
      }),
  },
});
