import { isObject, type JsonPath } from '../functions/openapi.ts';
import {
  composedValue,
  describeSchema,
  isMarked,
  isNonTextValue,
  isPasswordName,
  pathKey,
  propertySchemas,
  responseKeys,
  scanDocument,
} from '../functions/schema-checks.ts';
import { defineSpecRule } from './rule.ts';

export default defineSpecRule({
  meta: {
    id: 'password-not-write-only',
    engine: 'openapi',
    severity: 'info',
    title: 'A password-like property of a reusable schema is not marked `writeOnly: true`.',
    rationale:
      'A reusable schema travels: today it is a request body, tomorrow the same component is returned by a ' +
      'GET, and serialisers, generated clients and docs then treat the password as readable. `writeOnly: true` ' +
      'says the value is accepted but never returned. Properties named `password` (and `newPassword`, ' +
      '`password_confirmation`…), `passwd`, `pwd`, `passphrase`, `secret` or `pin`, or with `format: ' +
      'password`, in `components.schemas` / `definitions` (or a referenced schema file) are checked. Schemas ' +
      'that a response already returns are reported by sensitive-field-in-response instead. Swagger 2.0 has no ' +
      '`writeOnly`, so 2.0 documents are not checked.',
    fix: 'Add `writeOnly: true` to the property (and never serialise it in responses).',
    cwe: ['CWE-200'],
    owasp: ['API3:2023'],
    category: 'data-exposure',
    formats: ['oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        'Credentials:\n  type: object\n  properties:\n    password: { type: string, format: password }\n',
      safe: 'Credentials:\n  type: object\n  properties:\n    password: { type: string, format: password, writeOnly: true }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) => {
      const inResponses = responseKeys(doc);
      const findings: { message: string; path: JsonPath }[] = [];
      for (const node of scanDocument(doc).componentObjects) {
        if (!isObject(node.schema.properties) || inResponses.has(pathKey(node.path))) continue;
        for (const [name, raw] of Object.entries(node.schema.properties)) {
          const schemas = propertySchemas(doc, raw);
          const passwordLike = isPasswordName(name) || composedValue(schemas, 'format') === 'password';
          if (!passwordLike || isNonTextValue(schemas) || isMarked(schemas, 'writeOnly')) continue;
          findings.push({
            message: `Password-like property \`${name}\` of ${describeSchema(doc, node.path)} is not \`writeOnly\`: if the schema is ever returned, so is the secret. Add \`writeOnly: true\`.`,
            path: [...node.path, 'properties', name],
          });
        }
      }
      return findings;
    },
  },
});
