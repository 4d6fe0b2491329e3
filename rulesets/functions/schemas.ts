import {
  deref,
  getAt,
  HTTP_METHODS,
  isOas2,
  isObject,
  isRootDocument,
  type JsonObject,
  type JsonPath,
  type Operation,
  operations,
  parameters,
  responses,
  WRITE_METHODS,
} from './openapi.ts';

export interface SchemaNode {
  schema: JsonObject;
  path: JsonPath;
}

/** What a schema in a referenced file is used for, as seen from the spec that references it. */
export type SchemaRole = 'input' | 'writeBody' | 'response';
export type SchemaRoles = Record<SchemaRole, JsonPath[]>;

const rolesOfFragments = new WeakMap<object, SchemaRoles>();

/**
 * Registers, for a referenced file's data, which of its schemas the referencing spec uses for what (the
 * engine works this out across files before linting the file on its own).
 */
export function registerSchemaRoles(fragment: object, roles: SchemaRoles): void {
  rolesOfFragments.set(fragment, roles);
}

/** Schemas of a referenced file used in the given role, or none when nothing in the spec uses it so. */
export function fragmentSchemas(doc: unknown, role: SchemaRole): Generator<SchemaNode> {
  const paths = isObject(doc) ? (rolesOfFragments.get(doc)?.[role] ?? []) : [];
  const starts = paths.flatMap((path) => {
    const schema = getAt(doc, path);
    return isObject(schema) ? [{ schema, path }] : [];
  });
  return walkSchemas(doc, starts);
}

/** Bounds the walk on hostile documents; no real spec comes close. */
const MAX_SCHEMAS = 500_000;

const SCHEMA_KEYWORDS = ['type', 'properties', 'items', 'allOf', 'oneOf', 'anyOf', 'enum', '$ref', 'format'];

export function looksLikeSchema(node: unknown): node is JsonObject {
  return isObject(node) && SCHEMA_KEYWORDS.some((key) => key in node);
}

export function* childSchemas(schema: JsonObject, path: JsonPath): Generator<SchemaNode> {
  for (const key of ['properties', 'patternProperties', 'dependentSchemas'] as const) {
    const map = schema[key];
    if (isObject(map)) {
      for (const [name, child] of Object.entries(map)) {
        if (isObject(child)) yield { schema: child, path: [...path, key, name] };
      }
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) {
      for (const [index, child] of list.entries()) {
        if (isObject(child)) yield { schema: child, path: [...path, key, index] };
      }
    }
  }
  for (const key of [
    'items',
    'additionalProperties',
    'unevaluatedProperties',
    'additionalItems',
    'not',
    'if',
    'then',
    'else',
    'contains',
  ] as const) {
    const child = schema[key];
    if (isObject(child)) yield { schema: child, path: [...path, key] };
    else if (key === 'items' && Array.isArray(child)) {
      for (const [index, item] of child.entries()) {
        if (isObject(item)) yield { schema: item, path: [...path, key, index] };
      }
    }
  }
}

/**
 * Every schema reachable from `starts`, following local `$ref`s to where they are defined, each visited once:
 * a shared component is reported at its definition, not at each use. External `$ref`s are not followed
 * here; referenced files are linted on their own.
 */
export function* walkSchemas(doc: unknown, starts: Iterable<SchemaNode>): Generator<SchemaNode> {
  const seen = new Set<string>();
  const stack = [...starts].reverse();
  while (stack.length > 0 && seen.size < MAX_SCHEMAS) {
    const next = stack.pop()!;
    const { node: schema, path } = deref(doc, next.schema, next.path);
    // An unresolved $ref here points into another file, which is linted on its own.
    if (!isObject(schema) || typeof schema.$ref === 'string') continue;
    const key = JSON.stringify(path);
    if (seen.has(key)) continue;
    seen.add(key);
    yield { schema, path };
    const children = [...childSchemas(schema, path)];
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
  }
}

function* mediaSchemas(doc: unknown, holder: JsonObject, path: JsonPath): Generator<SchemaNode> {
  if (isObject(holder.content)) {
    for (const [media, raw] of Object.entries(holder.content)) {
      if (isObject(raw) && isObject(raw.schema)) {
        yield { schema: raw.schema, path: [...path, 'content', media, 'schema'] };
      }
    }
  }
  if (isOas2(doc) && isObject(holder.schema)) yield { schema: holder.schema, path: [...path, 'schema'] };
}

/** Schemas of the parameters an operation takes (in 2.0 a non-body parameter is its own schema). */
export function* parameterSchemas(
  doc: unknown,
  op: Operation,
): Generator<SchemaNode & { parameter: JsonObject }> {
  for (const { node, path } of parameters(doc, op)) {
    if (isOas2(doc) && node.in !== 'body') {
      yield { schema: node, path, parameter: node };
      continue;
    }
    if (isObject(node.schema)) yield { schema: node.schema, path: [...path, 'schema'], parameter: node };
    for (const media of mediaSchemas(doc, node, path)) yield { ...media, parameter: node };
  }
}

/** Schemas of an operation's request body (3.x `requestBody`, 2.0 `in: body` and `in: formData`). */
export function* requestBodySchemas(
  doc: unknown,
  op: Operation,
): Generator<SchemaNode & { mediaType?: string }> {
  if (isOas2(doc)) {
    for (const { node, path } of parameters(doc, op)) {
      if (node.in === 'body' && isObject(node.schema))
        yield { schema: node.schema, path: [...path, 'schema'] };
      if (node.in === 'formData') yield { schema: node, path, mediaType: 'multipart/form-data' };
    }
    return;
  }
  const { node, path } = deref(doc, op.operation.requestBody, [...op.path, 'requestBody']);
  if (!isObject(node) || !isObject(node.content)) return;
  for (const [mediaType, raw] of Object.entries(node.content)) {
    if (isObject(raw) && isObject(raw.schema)) {
      yield { schema: raw.schema, path: [...path, 'content', mediaType, 'schema'], mediaType };
    }
  }
}

export function* responseSchemas(
  doc: unknown,
  op: Operation,
  accept: (code: string) => boolean = () => true,
): Generator<SchemaNode & { code: string }> {
  for (const { code, node, path } of responses(doc, op)) {
    if (!accept(code)) continue;
    for (const media of mediaSchemas(doc, node, path)) yield { ...media, code };
  }
}

/**
 * Schemas of data the API accepts: parameters and request bodies of every operation, followed through
 * `$ref`s. Response-only schemas are left out: size and format limits protect the server on input.
 * In a referenced file, the schemas the referencing spec uses as input.
 */
export function inputSchemas(doc: unknown): Generator<SchemaNode> {
  if (!isRootDocument(doc)) return fragmentSchemas(doc, 'input');
  const starts: SchemaNode[] = [];
  for (const op of operations(doc)) {
    starts.push(...parameterSchemas(doc, op), ...requestBodySchemas(doc, op));
  }
  return walkSchemas(doc, starts);
}

/** Request body schemas of state-changing operations (where mass assignment happens). */
export function writeRequestSchemas(doc: unknown): Generator<SchemaNode> {
  if (!isRootDocument(doc)) return fragmentSchemas(doc, 'writeBody');
  const starts: SchemaNode[] = [];
  for (const op of operations(doc)) {
    if (WRITE_METHODS.has(op.method)) starts.push(...requestBodySchemas(doc, op));
  }
  return walkSchemas(doc, starts);
}

export function schemaTypes(schema: JsonObject): string[] {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

export function hasType(schema: JsonObject, type: string): boolean {
  return schemaTypes(schema).includes(type);
}
