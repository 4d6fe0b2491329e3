import {
  deref,
  isObject,
  type JsonObject,
  type JsonPath,
  type Operation,
  parameters,
} from '../functions/openapi.ts';
import { isExternalRef, operationLabel, servedOperations } from '../functions/path-items.ts';
import { isAllowListed, parameterSchema } from '../functions/request-fields.ts';
import { requestBodySchemas } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

const REQUEST_EXPRESSION = /^\{\$request\.(body|query|header|path)([^}]*)\}/;

/**
 * The runtime expression that picks the callback's host: `{$request.body#/callbackUrl}` or
 * `https://{$request.query.host}/hook`, not `https://hooks.example.com/{$request.body#/id}` nor
 * `https://{$request.body#/tenant}.example.com`, whose host stays under a fixed domain.
 */
function hostExpression(url: string): { source: string; reference: string; text: string } | undefined {
  const start = url.indexOf('{');
  if (start < 0) return undefined;
  const prefix = url.slice(0, start);
  if (prefix !== '' && !/^[a-z][a-z0-9+.-]*:\/\/$/i.test(prefix)) return undefined;
  const match = REQUEST_EXPRESSION.exec(url.slice(start));
  if (!match || url.slice(start + match[0].length).startsWith('.')) return undefined;
  return { source: match[1]!, reference: match[2]!, text: match[0].slice(1, -1) };
}

type Lookup = JsonObject | 'unknown' | undefined;

function schemaAtPointer(doc: unknown, raw: unknown, segments: string[], depth = 0): Lookup {
  const { node } = deref(doc, raw, []);
  if (!isObject(node) || depth > 16) return undefined;
  if (isExternalRef(node)) return 'unknown';
  if (segments.length === 0) return node;
  const [head, ...rest] = segments as [string, ...string[]];
  if (isObject(node.properties) && head in node.properties)
    return schemaAtPointer(doc, node.properties[head], rest, depth + 1);
  if (/^\d+$/.test(head) && isObject(node.items)) return schemaAtPointer(doc, node.items, rest, depth + 1);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const members = node[key];
    if (!Array.isArray(members)) continue;
    for (const member of members) {
      const found = schemaAtPointer(doc, member, segments, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The schemas the referenced request field may have (one per body media type), or 'unknown'. */
function referencedSchemas(
  doc: unknown,
  op: Operation,
  source: string,
  reference: string,
): Lookup[] | 'unknown' {
  if (source === 'body') {
    const pointer = reference.startsWith('#/') ? reference.slice(2).split('/') : [];
    const segments = pointer.map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    const found = [...requestBodySchemas(doc, op)].map(({ schema }) =>
      schemaAtPointer(doc, schema, segments),
    );
    if (found.includes('unknown') || isExternalRef(op.operation.requestBody)) return 'unknown';
    return found.length > 0 ? found : [undefined];
  }
  const name = reference.replace(/^\./, '');
  const list = parameters(doc, op);
  if (list.some(({ node }) => isExternalRef(node))) return 'unknown';
  const parameter = list.find(
    ({ node }) =>
      node.in === source &&
      typeof node.name === 'string' &&
      (source === 'header' ? node.name.toLowerCase() === name.toLowerCase() : node.name === name),
  );
  const schema = parameter ? parameterSchema(parameter.node)?.schema : undefined;
  return [schema ? schemaAtPointer(doc, schema, []) : undefined];
}

function unrestrictedCallbacks(doc: unknown) {
  const results: { message: string; path: JsonPath }[] = [];
  const seen = new Set<string>();
  for (const op of servedOperations(doc)) {
    if (!isObject(op.operation.callbacks)) continue;
    for (const [name, raw] of Object.entries(op.operation.callbacks)) {
      const { node: callback, path } = deref(doc, raw, [...op.path, 'callbacks', name]);
      if (!isObject(callback)) continue;
      for (const url of Object.keys(callback)) {
        const expression = hostExpression(url);
        const key = JSON.stringify([...path, url]);
        if (!expression || seen.has(key)) continue;
        const schemas = referencedSchemas(doc, op, expression.source, expression.reference);
        if (schemas === 'unknown') continue;
        const undeclared = schemas.includes(undefined);
        if (!undeclared && schemas.every((schema) => isAllowListed(doc, schema))) continue;
        seen.add(key);
        const field = undeclared
          ? 'a request field the operation does not declare, so nothing restricts it'
          : 'and that field has no allow-list (`enum` or `pattern`)';
        results.push({
          message: `Callback \`${name}\` of ${operationLabel(op)} calls a URL taken from the request (\`${expression.text}\`), ${field}: anyone can make the server call internal hosts. Restrict it with a \`pattern\` (https and allowed hosts) and check the resolved address server-side.`,
          path: [...path, url],
        });
      }
    }
  }
  return results;
}

export default defineSpecRule({
  meta: {
    id: 'callback-url-unrestricted',
    engine: 'openapi',
    severity: 'warning',
    title: 'A callback is sent to a URL taken from the request, and that request field has no allow-list.',
    rationale:
      'A callback keyed by `{$request.body#/callbackUrl}` makes the server send requests wherever the client ' +
      'says: internal services, the cloud metadata endpoint, or third parties it then attacks on your behalf ' +
      '(server-side request forgery). Without a `pattern` or `enum` on that field, neither the spec nor ' +
      'validators generated from it restrict the target.',
    fix:
      'Give the referenced request field a `pattern` that pins `https` and the allowed hosts (or an `enum`), ' +
      'and in the server resolve the host and refuse private, loopback and link-local addresses before calling it.',
    cwe: ['CWE-918'],
    owasp: ['API7:2023', 'API10:2023'],
    category: 'input-validation',
    formats: ['oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable:
        "requestBody:\n  content:\n    application/json:\n      schema:\n        properties:\n          callbackUrl: { type: string, format: uri }\ncallbacks:\n  onEvent:\n    '{$request.body#/callbackUrl}':\n      post:\n        responses: { '200': { description: ok } }\n",
      safe: "requestBody:\n  content:\n    application/json:\n      schema:\n        properties:\n          callbackUrl: { type: string, format: uri, pattern: '^https://[a-z0-9.-]+\\.example\\.com/' }\ncallbacks:\n  onEvent:\n    '{$request.body#/callbackUrl}':\n      post:\n        responses: { '200': { description: ok } }\n",
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: { function: unrestrictedCallbacks },
});
