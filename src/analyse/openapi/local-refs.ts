import { getAt, isObject, type JsonPath, localRefPath } from '../../../rulesets/functions/openapi.ts';

/** Bounds the walk on hostile documents. */
const MAX_NODES = 5_000_000;

export interface RefSurvey {
  /** Some `$ref` points into another file (or a URL): the document needs the resolver. */
  external: boolean;
  /** Paths of local `$ref`s whose target does not exist (only looked for when `external` is false). */
  broken: JsonPath[];
}

/**
 * Looks at every `$ref` of a document as written. A document whose references are all local needs no
 * resolution at all: apiguard's rules follow local references themselves, and resolving a large spec is
 * a third of the time Spectral spends on it. The broken local references resolution would have reported
 * are found here instead.
 */
export function surveyRefs(data: unknown): RefSurvey {
  // Paths are rebuilt only for the few broken references: each visit records its parent and key.
  const parents: number[] = [-1];
  const keys: (string | number)[] = [''];
  const nodes: unknown[] = [data];
  const pathOf = (index: number): JsonPath => {
    const path: JsonPath = [];
    for (let at = index; at > 0; at = parents[at]!) path.push(keys[at]!);
    return path.reverse();
  };
  const broken: JsonPath[] = [];
  const stack = [0];
  while (stack.length > 0) {
    if (nodes.length > MAX_NODES) return { external: true, broken: [] };
    const index = stack.pop()!;
    const node = nodes[index];
    const visit = (child: unknown, key: string | number) => {
      if (typeof child !== 'object' || child === null) return;
      stack.push(nodes.length);
      nodes.push(child);
      parents.push(index);
      keys.push(key);
    };
    if (Array.isArray(node)) {
      node.forEach(visit);
      continue;
    }
    if (!isObject(node)) continue;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const target = localRefPath(ref);
      if (!target) return { external: true, broken: [] };
      if (getAt(data, target) === undefined) broken.push(pathOf(index));
    }
    for (const key in node) visit(node[key], key);
  }
  return { external: false, broken };
}
