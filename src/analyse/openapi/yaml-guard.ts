import yamlAst from '@stoplight/yaml-ast-parser';

type YamlNode = {
  kind: number;
  value?: unknown;
  mappings?: YamlNode[];
  items?: YamlNode[];
  key?: YamlNode;
} | null;

const { Kind } = yamlAst;

/** More nodes than any real spec expands to (GitHub's 13 MB description has about 90,000 objects). */
export const MAX_EXPANDED_NODES = 5_000_000;

const ALIAS = /(?:^|[\s[{,:-])\*[^\s,\]}]/;

/**
 * Counts the nodes a YAML document has once its aliases are expanded, without expanding them: a few
 * nested aliases ("billion laughs") expand to billions of nodes and would exhaust memory.
 */
export function expandedYamlSize(text: string): number {
  if (!ALIAS.test(text)) return 0;
  const root = yamlAst.load(text) as YamlNode;
  const memo = new Map<object, number>();
  const size = (node: YamlNode): number => {
    if (!node) return 1;
    const cached = memo.get(node);
    if (cached !== undefined) return cached;
    memo.set(node, 1); // an alias cycle counts once
    let total = 1;
    if (node.kind === Kind.ANCHOR_REF) total = size(node.value as YamlNode);
    else if (node.kind === Kind.MAPPING) total += size(node.value as YamlNode);
    else if (node.kind === Kind.MAP) for (const child of node.mappings ?? []) total += size(child);
    else if (node.kind === Kind.SEQ) for (const child of node.items ?? []) total += size(child);
    total = Math.min(total, Number.MAX_SAFE_INTEGER);
    memo.set(node, total);
    return total;
  };
  return size(root);
}
