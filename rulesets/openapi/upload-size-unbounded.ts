import { formatRoute } from '../functions/openapi.ts';
import {
  composedSchemas,
  fileBodies,
  fileEncoding,
  hasMaxLength,
  inputNodes,
  pathKey,
  schemaSubject,
} from '../functions/schema-checks.ts';
import { schemaTypes } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

const FIX = 'Declare the largest accepted size with `maxLength` and reject larger uploads (413).';

function holdsBytes(types: string[]): boolean {
  return types.length === 0 || types.includes('string');
}

export default defineSpecRule({
  meta: {
    id: 'upload-size-unbounded',
    engine: 'openapi',
    severity: 'info',
    title: 'A file upload or encoded-content field the API accepts has no size limit (`maxLength`).',
    rationale:
      'Uploads are the largest inputs an API takes. Without a declared limit, gateways and generated servers ' +
      'accept any size, and disk, memory or a downstream scanner pays for it. Reported: input strings with ' +
      '`format: binary` or `byte`, `contentEncoding` or (3.1) `contentMediaType`, and request bodies of file ' +
      'media types (`application/octet-stream`, `image/*`, `audio/*`, `video/*`, `application/pdf`, archives) ' +
      'whose string or missing schema has no `maxLength`. Swagger 2.0 `type: file` parameters are not ' +
      'reported: 2.0 cannot express their size, so the limit belongs in the server configuration.',
    fix: FIX,
    cwe: ['CWE-400', 'CWE-770'],
    owasp: ['API4:2023'],
    category: 'resource-consumption',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'multipart/form-data:\n  schema:\n    type: object\n    properties:\n      avatar: { type: string, format: binary }\n',
      safe: 'multipart/form-data:\n  schema:\n    type: object\n    properties:\n      avatar: { type: string, format: binary, maxLength: 5242880 }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const findings: { message: string; path: (string | number)[] }[] = [];
      const reported = new Set<string>();
      for (const body of fileBodies(doc)) {
        const route = formatRoute(body.op);
        if (!body.schema) {
          findings.push({
            message: `The \`${body.mediaType}\` request body of ${route} has no schema, so no size limit. Add a schema \`{ type: string, format: binary, maxLength: … }\` and reject larger uploads (413).`,
            path: body.path,
          });
          continue;
        }
        const key = pathKey(body.schema.path);
        if (reported.has(key) || !holdsBytes(schemaTypes(body.schema.schema))) continue;
        if (hasMaxLength(composedSchemas(doc, body.schema))) continue;
        reported.add(key);
        findings.push({
          message: `The \`${body.mediaType}\` request body of ${route} has no \`maxLength\`: uploads of any size are accepted. ${FIX}`,
          path: body.schema.path,
        });
      }
      for (const node of inputNodes(doc)) {
        const schemas = composedSchemas(doc, node);
        const types = schemaTypes(node.schema);
        // The keyword on the schema itself, or on an `allOf` part of a string: a typeless wrapper is not a file.
        const encoding =
          fileEncoding([node.schema]) ?? (types.includes('string') ? fileEncoding(schemas) : undefined);
        if (!encoding || !holdsBytes(types) || hasMaxLength(schemas)) continue;
        if (reported.has(pathKey(node.path))) continue;
        findings.push({
          message: `${schemaSubject(doc, node.path)} (\`${encoding}\`) has no \`maxLength\`: uploads of any size are accepted. ${FIX}`,
          path: node.path,
        });
      }
      return findings;
    },
  },
});
