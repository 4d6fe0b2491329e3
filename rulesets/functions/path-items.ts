/** Where path items live: `paths`, `webhooks`, callbacks, `components`, and inside referenced files. */
import {
  deref,
  formatRoute,
  HTTP_METHODS,
  isObject,
  isRootDocument,
  type JsonObject,
  type JsonPath,
  type Operation,
} from './openapi.ts';
import { looksLikeSchema } from './schemas.ts';

/**
 * `path`: under `paths` (or found in a referenced file); `component`: 3.1 `components.pathItems`;
 * `webhook` and `callback`: requests the API sends, whose responses come from someone else's server.
 */
export type PathItemKind = 'path' | 'component' | 'webhook' | 'callback';

export interface PathItem {
  pathItem: JsonObject;
  /** Where the path item is defined, after local `$ref`s. */
  path: JsonPath;
  /** Its URL template or callback expression. */
  route: string;
  kind: PathItemKind;
}

export interface KindedOperation extends Operation {
  kind: PathItemKind;
}

export function operationsOf(item: PathItem): KindedOperation[] {
  return HTTP_METHODS.flatMap((method) => {
    const operation = item.pathItem[method];
    if (!isObject(operation)) return [];
    return [
      {
        path: [...item.path, method],
        route: item.route,
        method,
        operation,
        pathItem: item.pathItem,
        kind: item.kind,
      },
    ];
  });
}

/** True for a `$ref` that points into another file (it stays unresolved in a raw document). */
export function isExternalRef(node: unknown): boolean {
  return isObject(node) && typeof node.$ref === 'string';
}

/**
 * Every path item, once, where it is defined. In a file that is not a whole OpenAPI document (a `$ref`'d
 * fragment), the path items found near its root.
 */
export function pathItems(doc: unknown): PathItem[] {
  const found: PathItem[] = [];
  const seen = new Set<string>();
  const visit = (raw: unknown, rawPath: JsonPath, route: string, kind: PathItemKind) => {
    const { node, path } = deref(doc, raw, rawPath);
    if (!isObject(node) || isExternalRef(node)) return;
    const key = JSON.stringify(path);
    if (seen.has(key)) return;
    seen.add(key);
    const item = { pathItem: node, path, route, kind };
    found.push(item);
    for (const op of operationsOf(item)) {
      if (!isObject(op.operation.callbacks)) continue;
      for (const [name, callback] of Object.entries(op.operation.callbacks)) {
        visitCallback(callback, [...op.path, 'callbacks', name]);
      }
    }
  };
  const visitCallback = (raw: unknown, rawPath: JsonPath) => {
    const { node, path } = deref(doc, raw, rawPath);
    if (!isObject(node)) return;
    for (const [expression, item] of Object.entries(node)) {
      if (!expression.startsWith('x-')) visit(item, [...path, expression], expression, 'callback');
    }
  };

  if (!isRootDocument(doc)) {
    for (const { node, path } of fragmentPathItems(doc, [], 0)) visit(node, path, routeOf(path), 'path');
    return found;
  }
  const section = (name: 'paths' | 'webhooks', kind: PathItemKind) => {
    if (!isObject(doc[name])) return;
    for (const [route, item] of Object.entries(doc[name])) {
      if (!route.startsWith('x-')) visit(item, [name, route], route, kind);
    }
  };
  section('paths', 'path');
  section('webhooks', 'webhook');
  const components = doc.components;
  if (isObject(components) && isObject(components.pathItems)) {
    for (const [name, item] of Object.entries(components.pathItems)) {
      visit(item, ['components', 'pathItems', name], name, 'component');
    }
  }
  if (isObject(components) && isObject(components.callbacks)) {
    for (const [name, callback] of Object.entries(components.callbacks)) {
      visitCallback(callback, ['components', 'callbacks', name]);
    }
  }
  return found;
}

/** Operations of the API itself (not webhooks or callbacks, which the API sends). */
export function servedOperations(doc: unknown): KindedOperation[] {
  return pathItems(doc)
    .filter((item) => item.kind === 'path' || item.kind === 'component')
    .flatMap(operationsOf);
}

function routeOf(path: JsonPath): string {
  const last = path.at(-1);
  return typeof last === 'string' && last.startsWith('/') ? last : '';
}

function* fragmentPathItems(
  node: unknown,
  path: JsonPath,
  depth: number,
): Generator<{ node: JsonObject; path: JsonPath }> {
  if (!isObject(node) || depth > 3 || looksLikeSchema(node)) return;
  if (HTTP_METHODS.some((method) => isObject(node[method]))) {
    yield { node, path };
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key.startsWith('x-')) continue;
    yield* fragmentPathItems(value, [...path, key], depth + 1);
  }
}

/** `GET /users`; an operation in a referenced file whose route is unknown there is named by its method. */
export function operationLabel(op: Pick<Operation, 'method' | 'route'>): string {
  return op.route ? formatRoute(op) : `${op.method.toUpperCase()} operation`;
}
