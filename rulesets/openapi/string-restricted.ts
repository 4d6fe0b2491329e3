import {
  composedSchemas,
  composedValue,
  inputNodes,
  isEnumerated,
  isUpload,
  schemaName,
  schemaSubject,
  squashName,
} from '../functions/schema-checks.ts';
import { hasType } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

/** Prose, names and search terms: no pattern describes them; `maxLength` is their validation. */
const FREE_TEXT_NAME =
  /^(name|displayname|fullname|firstname|lastname|givenname|familyname|middlename|nickname|q|query|search|searchterm|keyword|keywords|content|details|label|caption|feedback|remark|remarks|prompt|instructions)$|(description|title|summary|body|text|comment|comments|message|note|notes|bio|reason|subject)$/;

export default defineSpecRule({
  meta: {
    id: 'string-restricted',
    engine: 'openapi',
    severity: 'info',
    title: 'A string the API accepts has no `format`, `pattern`, `enum` or `const` to restrict its content.',
    rationale:
      'A string with no declared shape lets any character sequence through the validation layer to the ' +
      'handler, which then has to defend against injection on its own. Only input schemas are checked; ' +
      'keywords combined through `allOf` count. Free-text fields (by name: `description`, `message`, ' +
      '`comment`, `title`, `name`, `query`, …) are skipped, since no pattern describes prose: bound them with ' +
      '`maxLength` (string-limit). Files and base64 content are left to upload-size-unbounded.',
    fix:
      'Declare what the value looks like: a `format` (`uuid`, `email`, `uri`, `date-time`…), an anchored ' +
      '`pattern`, or an `enum` of the accepted values.',
    cwe: ['CWE-20'],
    owasp: ['API4:2023', 'API8:2023'],
    category: 'input-validation',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: ['owasp:api4:2023-string-restricted'],
    examples: {
      language: 'yaml',
      vulnerable: 'sku:\n  type: string\n  maxLength: 12\n',
      safe: "sku:\n  type: string\n  pattern: '^[A-Z]{3}-[0-9]{6}$'\n",
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
          typeof composedValue(schemas, 'format') === 'string' ||
          typeof composedValue(schemas, 'pattern') === 'string' ||
          isEnumerated(schemas) ||
          isUpload(doc, node, schemas)
        ) {
          return [];
        }
        const name = schemaName(doc, node.path);
        if (name !== undefined && FREE_TEXT_NAME.test(squashName(name))) return [];
        return [
          {
            message: `${schemaSubject(doc, node.path)} is a string with no \`format\`, \`pattern\` or \`enum\`: any content reaches the handler. Declare its shape with a \`format\` or an anchored \`pattern\`.`,
            path: node.path,
          },
        ];
      }),
  },
});
