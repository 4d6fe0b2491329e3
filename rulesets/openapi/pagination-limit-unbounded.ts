import { describeUses, unboundedPageSizeParameters } from '../functions/schema-checks.ts';
import { schemaTypes } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'pagination-limit-unbounded',
    engine: 'openapi',
    severity: 'warning',
    title: 'A page-size query parameter (`limit`, `per_page`, `pageSize`, `$top`…) has no maximum.',
    rationale:
      'A page size without an upper bound lets one request ask for the whole collection: the database scans ' +
      'and serialises every row, and the response can exhaust memory on both ends. Parameters are recognised ' +
      'by name (`limit`, `per_page`, `perPage`, `page_size`, `pageSize`, `page[size]`, `size`, `count`, ' +
      '`top`, `first`, `last`, `max`, `maxResults`, `take`; any case); a numeric one needs a `maximum`, a ' +
      'string one (for the unambiguous names) an `enum`, `maxLength` or bounded `pattern`.',
    fix: 'Add `maximum` (and `minimum: 1`) to the parameter schema, and clamp or reject larger values in the handler.',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: 'parameters:\n  - name: limit\n    in: query\n    schema: { type: integer, minimum: 1 }\n',
      safe: 'parameters:\n  - name: limit\n    in: query\n    schema: { type: integer, minimum: 1, maximum: 100 }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      unboundedPageSizeParameters(doc).map((parameter) => {
        const uses = describeUses(parameter.uses);
        const numeric = !schemaTypes(parameter.schema.schema).includes('string');
        return {
          message:
            `Query parameter \`${parameter.name}\`${uses ? ` (${uses})` : ''} sets a page size with no ` +
            `${numeric ? '`maximum`' : 'bound'}: one request can ask for the whole collection. ` +
            `${numeric ? 'Add `maximum`' : 'Add an `enum` or `maxLength`'} and enforce it in the handler.`,
          path: parameter.path,
        };
      }),
  },
});
