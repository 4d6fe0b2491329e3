import {
  deref,
  isOas31,
  isObject,
  isRootDocument,
  type JsonObject,
  type JsonPath,
} from '../functions/openapi.ts';
import { pathKey, scanDocument, schemaSubject, writeRequestNodes } from '../functions/schema-checks.ts';
import { schemaTypes } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

/** `additionalProperties: {}` allows anything, like `true`. */
function isSchemaValued(value: unknown): value is JsonObject {
  return isObject(value) && Object.keys(value).length > 0;
}

function declaresProperties(doc: unknown, schema: JsonObject): boolean {
  if (isObject(schema.properties) || 'additionalProperties' in schema) return true;
  return (
    Array.isArray(schema.allOf) &&
    schema.allOf.some((part) => {
      const node = deref(doc, part, []).node;
      return isObject(node) && (isObject(node.properties) || 'additionalProperties' in node);
    })
  );
}

export default defineSpecRule({
  meta: {
    id: 'request-schema-open',
    engine: 'openapi',
    severity: 'info',
    title: "An object in a write operation's request body accepts properties it does not declare.",
    rationale:
      'When a request object is open, clients can send fields the API did not mean to accept, and handlers ' +
      'that bind the body onto a model (mass assignment) write them: `role`, `isAdmin`, `ownerId`, `price`. ' +
      'Objects that declare `properties` or `additionalProperties` in POST, PUT, PATCH and DELETE request ' +
      'bodies are checked. An object is closed by `additionalProperties: false` or (3.1) ' +
      '`unevaluatedProperties: false`; a map (`additionalProperties` is a schema) is accepted with ' +
      "`maxProperties`. `allOf` parts are not reported, since closing a part rejects the other parts' " +
      'properties; in 3.1 the composition itself must set `unevaluatedProperties: false`, while in 2.0/3.0 a ' +
      'composition cannot be closed and is skipped. Objects marked `readOnly` are ignored.',
    fix:
      'Set `additionalProperties: false` on the request object (3.1 compositions: `unevaluatedProperties: ' +
      'false`). For a map, bound it with `maxProperties`. In the handler, copy only the declared fields.',
    cwe: ['CWE-915'],
    owasp: ['API3:2023'],
    category: 'mass-assignment',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    covers: [
      'owasp:api3:2023-no-additionalProperties',
      'owasp:api3:2023-constrained-additionalProperties',
      'owasp:api3:2023-no-unevaluatedProperties',
      'owasp:api3:2023-constrained-unevaluatedProperties',
    ],
    examples: {
      language: 'yaml',
      vulnerable: 'NewUser:\n  type: object\n  properties:\n    email: { type: string, format: email }\n',
      safe: 'NewUser:\n  type: object\n  additionalProperties: false\n  properties:\n    email: { type: string, format: email }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      // Outside a whole 3.1 document (2.0, 3.0, or a referenced file of unknown version) `unevaluatedProperties`
      // still closes a 3.1 file's object; a 3.0 document's validators ignore it.
      const evaluates = isOas31(doc) || !isRootDocument(doc);
      const parts = scanDocument(doc).allOfParts;
      const findings: { message: string; path: JsonPath }[] = [];
      for (const node of writeRequestNodes(doc)) {
        const { schema, path } = node;
        const types = schemaTypes(schema);
        if (types.length > 0 && !types.includes('object')) continue;
        if (schema.readOnly === true || parts.has(pathKey(path)) || !declaresProperties(doc, schema))
          continue;
        const composed = Array.isArray(schema.allOf);
        if (composed && !evaluates) continue;
        const additional = schema.additionalProperties;
        const unevaluated = evaluates ? schema.unevaluatedProperties : undefined;
        if (additional === false || unevaluated === false) continue;
        const bounded = typeof schema.maxProperties === 'number';
        const described = schemaSubject(doc, path);
        const subject =
          described === 'The request body' ? described : `${described} (in a write request body)`;
        const closeWith = composed
          ? '`unevaluatedProperties: false`'
          : `\`additionalProperties: false\`${evaluates ? ' (or `unevaluatedProperties: false`)' : ''}`;
        if (isSchemaValued(additional) || isSchemaValued(unevaluated)) {
          if (bounded) continue;
          const keyword = isSchemaValued(additional) ? 'additionalProperties' : 'unevaluatedProperties';
          findings.push({
            message: `${subject} accepts any number of extra properties matching its \`${keyword}\` schema. Bound it with \`maxProperties\`, or close it with ${closeWith}.`,
            path,
          });
          continue;
        }
        const explicit =
          additional !== undefined
            ? 'additionalProperties'
            : unevaluated !== undefined
              ? 'unevaluatedProperties'
              : undefined;
        findings.push({
          message: `${subject} accepts properties it does not declare${explicit ? ` (\`${explicit}\` allows them)` : ''}, so a client can set fields the API did not mean to expose (mass assignment). Close it with ${closeWith}.`,
          path: explicit ? [...path, explicit] : path,
        });
      }
      return findings;
    },
  },
});
