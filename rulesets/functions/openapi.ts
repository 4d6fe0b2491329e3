/** Small pure helpers over a raw (unresolved) OpenAPI 2.0 / 3.x document. */

export type JsonPath = (string | number)[];
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isOas2(doc: unknown): boolean {
  return isObject(doc) && typeof doc.swagger === 'string';
}

export function isOas31(doc: unknown): boolean {
  return isObject(doc) && typeof doc.openapi === 'string' && doc.openapi.startsWith('3.1');
}

export function isRootDocument(doc: unknown): doc is JsonObject {
  return isObject(doc) && (typeof doc.openapi === 'string' || typeof doc.swagger === 'string');
}

/** Decodes a local JSON pointer (`#/components/schemas/A`) into path segments, or undefined. */
export function localRefPath(ref: unknown): JsonPath | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  if (ref === '#') return [];
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~')));
}

export function getAt(root: unknown, path: JsonPath): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node)) node = node[String(key)];
    else return undefined;
  }
  return node;
}

/** Follows local `$ref`s (at most a few hops, cycles cut) to the node and the path where it is defined. */
export function deref(root: unknown, node: unknown, path: JsonPath): { node: unknown; path: JsonPath } {
  let current = { node, path };
  for (let hop = 0; hop < 8; hop++) {
    if (!isObject(current.node)) return current;
    const target = localRefPath(current.node.$ref);
    if (!target) return current;
    current = { node: getAt(root, target), path: target };
  }
  return current;
}

export interface Operation {
  path: JsonPath;
  /** The URL template, e.g. `/users/{id}`. */
  route: string;
  method: string;
  operation: JsonObject;
  pathItem: JsonObject;
}

/** Every operation under `paths` (and 3.1 `webhooks`), path items behind local `$ref`s included. */
export function operations(doc: unknown, section: 'paths' | 'webhooks' = 'paths'): Operation[] {
  if (!isObject(doc) || !isObject(doc[section])) return [];
  const found: Operation[] = [];
  for (const [route, rawItem] of Object.entries(doc[section])) {
    const { node: pathItem, path } = deref(doc, rawItem, [section, route]);
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isObject(operation)) found.push({ path: [...path, method], route, method, operation, pathItem });
    }
  }
  return found;
}

/** Parameters that apply to an operation: the operation's own override path-level ones by name and place. */
export function parameters(doc: unknown, op: Operation): { node: JsonObject; path: JsonPath }[] {
  const byKey = new Map<string, { node: JsonObject; path: JsonPath }>();
  const collect = (list: unknown, base: JsonPath) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const { node, path } = deref(doc, raw, [...base, 'parameters', index]);
      if (isObject(node)) byKey.set(`${String(node.in)}:${String(node.name)}`, { node, path });
    });
  };
  collect(op.pathItem.parameters, op.path.slice(0, -1));
  collect(op.operation.parameters, op.path);
  return [...byKey.values()];
}

export function securitySchemes(doc: unknown): Record<string, JsonObject> {
  if (!isObject(doc)) return {};
  const holder = isOas2(doc)
    ? doc.securityDefinitions
    : isObject(doc.components)
      ? doc.components.securitySchemes
      : undefined;
  if (!isObject(holder)) return {};
  const schemes: Record<string, JsonObject> = {};
  for (const [name, scheme] of Object.entries(holder)) {
    const resolved = deref(doc, scheme, []).node;
    if (isObject(resolved)) schemes[name] = resolved;
  }
  return schemes;
}

export function securitySchemesPath(doc: unknown): JsonPath {
  return isOas2(doc) ? ['securityDefinitions'] : ['components', 'securitySchemes'];
}

export interface EffectiveSecurity {
  /** The requirement list in force, or undefined when neither the operation nor the document sets one. */
  requirements: Json[] | undefined;
  /** Where it comes from. */
  source: 'operation' | 'document' | 'none';
}

export function effectiveSecurity(doc: unknown, operation: JsonObject): EffectiveSecurity {
  if (Array.isArray(operation.security)) return { requirements: operation.security, source: 'operation' };
  if (isObject(doc) && Array.isArray(doc.security)) return { requirements: doc.security, source: 'document' };
  return { requirements: undefined, source: 'none' };
}

/** True when a requirement list lets a caller in without credentials: absent, `[]`, or an `{}` alternative. */
export function allowsAnonymous(requirements: Json[] | undefined): boolean {
  return requirements === undefined || requirements.length === 0 || requirements.some(isEmptyRequirement);
}

export function isEmptyRequirement(requirement: Json): boolean {
  return isObject(requirement) && Object.keys(requirement).length === 0;
}

/** Whether the document declares any security at all (schemes or requirements). */
export function declaresSecurity(doc: unknown): boolean {
  if (Object.keys(securitySchemes(doc)).length > 0) return true;
  if (isObject(doc) && Array.isArray(doc.security) && doc.security.length > 0) return true;
  return operations(doc).some(
    ({ operation }) => Array.isArray(operation.security) && operation.security.length > 0,
  );
}

/** Request and response media types, 2.0 and 3.x alike. */
export function responses(doc: unknown, op: Operation): { code: string; node: JsonObject; path: JsonPath }[] {
  if (!isObject(op.operation.responses)) return [];
  const list: { code: string; node: JsonObject; path: JsonPath }[] = [];
  for (const [code, raw] of Object.entries(op.operation.responses)) {
    const { node, path } = deref(doc, raw, [...op.path, 'responses', code]);
    if (isObject(node)) list.push({ code, node, path });
  }
  return list;
}

/** `/login`, `/oauth/token`, `/webhooks/stripe`… : endpoints that are public by design. */
const CONVENTIONALLY_PUBLIC =
  /(^|\/)(health|healthz|livez|readyz|ready|ping|status|version|metrics|login|logout|signin|sign-in|signup|sign-up|register|registration|token|oauth2?|callback|authorize|auth|password[-_]?reset|reset[-_]?password|forgot[-_]?password|verify[-_]?email|webhooks?|\.well-known|openapi|swagger|docs)(\/|$|\.|\{)/i;

export function isConventionallyPublic(route: string): boolean {
  return CONVENTIONALLY_PUBLIC.test(route);
}

export function formatRoute(op: Pick<Operation, 'method' | 'route'>): string {
  return `${op.method.toUpperCase()} ${op.route}`;
}
