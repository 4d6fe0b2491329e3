import {
  composedSchemas,
  hasBoundingPattern,
  hasLengthBoundingFormat,
  hasMaxLength,
  inputNodes,
  isEnumerated,
  isUpload,
  schemaSubject,
} from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'string-limit',
    engine: 'openapi',
    severity: 'info',
    title: 'A string the API accepts (parameter or request body) has no `maxLength`.',
    rationale:
      'Without `maxLength` a single field can carry megabytes that are parsed, stored, logged and indexed. ' +
      'Only input schemas are checked, and strings that are bounded another way are not reported: `enum` or ' +
      '`const`, a format with a short fixed shape (`date`, `date-time`, `time`, `uuid`, `ipv4`, `ipv6`, ' +
      '`hostname`), or an anchored `pattern` without unbounded repetition (`^[0-9]{4}$`). Keywords combined ' +
      'through `allOf` count. `email` and `uri` are not bounds: their validators accept any length. Files and ' +
      'base64 content (`format: binary`/`byte`, `contentEncoding`, `contentMediaType`) are left to ' +
      'upload-size-unbounded.',
    fix: 'Add `maxLength` with the longest value the field needs (or restrict it with `enum` or a bounded format).',
    cwe: ['CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-string-limit'],
    examples: {
      language: 'yaml',
      vulnerable: 'name:\n  type: string\n',
      safe: 'name:\n  type: string\n  maxLength: 100\nbirthday:\n  type: string\n  format: date\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      inputNodes(doc).flatMap((node) => {
        if (!hasType(node.schema, 'string')) return [];
        const schemas = composedSchemas(doc, node);
        if (
          hasMaxLength(schemas) ||
          isEnumerated(schemas) ||
          hasLengthBoundingFormat(schemas) ||
          hasBoundingPattern(schemas) ||
          isUpload(doc, node, schemas)
        ) {
          return [];
        }
        return [
          {
            message: `${schemaSubject(doc, node.path)} is a string with no \`maxLength\`: a client can send a value of any size. Add \`maxLength\` (or an \`enum\`, or a bounded format such as \`date\` or \`uuid\`).`,
            path: node.path,
          },
        ];
      }),
  },
});
