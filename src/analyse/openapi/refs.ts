import { dirname, resolve } from 'node:path';
import { getAt, isObject, type JsonPath } from '../../../rulesets/functions/openapi.ts';

/** A node of a spec, with the file it is in and its path inside that file's data. */
export interface SpecLocation {
  file: string;
  path: JsonPath;
  node: unknown;
}

/** `/components/schemas/A~1B` → `['components', 'schemas', 'A/B']` */
export function pointerPath(pointer: string): JsonPath {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((segment) => decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** A `$ref` chain longer than this is a cycle or hostile. */
const MAX_HOPS = 16;

/**
 * Follows `$ref`s from a node to what they point at, across files: `dataOf` returns a file's unresolved data
 * (reading it only inside the workspace, which the caller's loader guarantees). Remote references are never
 * followed; a chain that does not end is `undefined`.
 */
export function createRefFollower(dataOf: (file: string) => unknown) {
  return (at: SpecLocation): SpecLocation | undefined => {
    let current = at;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (!isObject(current.node) || typeof current.node.$ref !== 'string') return current;
      const ref = current.node.$ref;
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return undefined;
      const [filePart = '', pointer = ''] = ref.split('#');
      let file: string;
      let path: JsonPath;
      try {
        file = filePart ? resolve(dirname(current.file), decodeURI(filePart)) : current.file;
        path = pointerPath(pointer);
      } catch {
        return undefined; // malformed percent-encoding
      }
      current = { file, path, node: getAt(dataOf(file), path) };
    }
    return undefined;
  };
}

/** The child `key` of a location (before any `$ref` in it is followed). */
export function childOf(at: SpecLocation, key: string | number): SpecLocation {
  return {
    file: at.file,
    path: [...at.path, key],
    node: isObject(at.node) || Array.isArray(at.node) ? (at.node as Record<string, unknown>)[key] : undefined,
  };
}
