/** What a client sends: parameters and request-body properties by name, and whether a value is allow-listed. */
import {
  deref,
  isObject,
  isRootDocument,
  type JsonObject,
  type JsonPath,
  type Operation,
  parameters,
} from './openapi.ts';
import { isExternalRef, servedOperations } from './path-items.ts';
import { looksLikeSchema, requestBodySchemas, schemaTypes, walkSchemas } from './schemas.ts';

/** `callbackURL`, `sourceURLs`, `filter[email]` → lower-case words: `callback url`, `source urls`, `filter email`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([A-Z]{2,})s(?![a-z])/g, '$1S')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `has_password`, `showSecret`, `include_tokens`: flags about a thing, not the thing. */
const FLAG_WORDS = new Set([
  'is',
  'has',
  'include',
  'includes',
  'with',
  'without',
  'show',
  'hide',
  'require',
  'requires',
  'reveal',
  'expose',
  'mask',
  'masked',
]);

export function isFlagName(name: string): boolean {
  return FLAG_WORDS.has(nameWords(name)[0] ?? '');
}

export interface ParameterEntry {
  parameter: JsonObject;
  /** Where the parameter is defined, after local `$ref`s. */
  path: JsonPath;
  name: string;
  in: string;
}

/**
 * Parameters of the API's operations, each once where it is defined. In a referenced file, also the
 * parameter objects near its root (a shared parameters file).
 */
export function requestParameters(doc: unknown): ParameterEntry[] {
  const found = new Map<string, ParameterEntry>();
  const add = (parameter: JsonObject, path: JsonPath) => {
    if (typeof parameter.name !== 'string' || typeof parameter.in !== 'string') return;
    const key = JSON.stringify(path);
    if (!found.has(key)) found.set(key, { parameter, path, name: parameter.name, in: parameter.in });
  };
  for (const op of servedOperations(doc)) {
    for (const { node, path } of parameters(doc, op)) add(node, path);
  }
  if (!isRootDocument(doc)) {
    for (const { node, path } of fragmentParameters(doc, [], 0)) add(node, path);
  }
  return [...found.values()];
}

function* fragmentParameters(
  node: unknown,
  path: JsonPath,
  depth: number,
): Generator<{ node: JsonObject; path: JsonPath }> {
  if (!isObject(node) || depth > 2) return;
  if (typeof node.name === 'string' && typeof node.in === 'string') {
    yield { node, path };
    return;
  }
  if (looksLikeSchema(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (!key.startsWith('x-')) yield* fragmentParameters(value, [...path, key], depth + 1);
  }
}

/** The schema of a parameter: 3.x `schema` or the first `content` entry's; a 2.0 non-body parameter is its own. */
export function parameterSchema(parameter: JsonObject): { schema: JsonObject; at: JsonPath } | undefined {
  if (isObject(parameter.schema)) return { schema: parameter.schema, at: ['schema'] };
  if (isObject(parameter.content)) {
    for (const [media, value] of Object.entries(parameter.content)) {
      if (isObject(value) && isObject(value.schema))
        return { schema: value.schema, at: ['content', media, 'schema'] };
    }
  }
  return typeof parameter.type === 'string' ? { schema: parameter, at: [] } : undefined;
}

export interface PropertyEntry {
  name: string;
  schema: JsonObject;
  /** The property's key in its parent's `properties`. */
  path: JsonPath;
}

/** Properties of request bodies (followed through local `$ref`s), each once where it is defined. */
export function* requestBodyProperties(
  doc: unknown,
  ops: Operation[] = servedOperations(doc),
): Generator<PropertyEntry> {
  const starts = ops.flatMap((op) => [...requestBodySchemas(doc, op)]);
  for (const { schema, path } of walkSchemas(doc, starts)) {
    if (!isObject(schema.properties)) continue;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (isObject(property)) yield { name, schema: property, path: [...path, 'properties', name] };
    }
  }
}

/**
 * Whether a value is restricted to known values (`enum`, `const`, `pattern`), directly, through `allOf`,
 * in every `oneOf`/`anyOf` branch, or in an array's `items`. A schema in another file counts as restricted:
 * it cannot be seen from here.
 */
export function isAllowListed(doc: unknown, raw: unknown, depth = 0): boolean {
  const { node } = deref(doc, raw, []);
  if (!isObject(node) || depth > 8) return false;
  if (isExternalRef(node)) return true;
  if (Array.isArray(node.enum) || 'const' in node || typeof node.pattern === 'string') return true;
  if (isObject(node.items) && isAllowListed(doc, node.items, depth + 1)) return true;
  if (Array.isArray(node.allOf) && node.allOf.some((member) => isAllowListed(doc, member, depth + 1)))
    return true;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = node[key];
    if (
      Array.isArray(list) &&
      list.length > 0 &&
      list.every((member) => isAllowListed(doc, member, depth + 1))
    ) {
      return true;
    }
  }
  return false;
}

/** A value that cannot hold text: booleans, numbers, objects (their own properties are checked one by one). */
export function cannotHoldText(doc: unknown, raw: unknown): boolean {
  const { node } = deref(doc, raw, []);
  if (!isObject(node)) return false;
  const types = schemaTypes(node).filter((type) => type !== 'null');
  return types.length > 0 && types.every((type) => ['boolean', 'integer', 'number', 'object'].includes(type));
}
