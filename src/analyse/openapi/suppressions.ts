import type { Suppression } from '../../findings/finding.ts';

export const IGNORE_KEY = 'x-apiguard-ignore';

/**
 * `x-apiguard-ignore: [rule-id, "rule-id -- reason"]` on a node silences those rules for that node and
 * everything below it.
 */
export function inlineSuppression(
  ruleId: string,
  path: readonly (string | number)[],
  data: unknown,
): Suppression | undefined {
  let node: unknown = data;
  for (let depth = 0; depth <= path.length; depth++) {
    if (typeof node !== 'object' || node === null) return undefined;
    const entries = (node as Record<string, unknown>)[IGNORE_KEY];
    if (Array.isArray(entries) || typeof entries === 'string') {
      for (const entry of [entries].flat()) {
        if (typeof entry !== 'string') continue;
        const [id, ...reason] = entry.split(/\s+--\s+/);
        if (id?.trim() === ruleId) {
          const text = reason.join(' -- ').trim();
          return { kind: 'inline', ...(text ? { reason: text } : {}) };
        }
      }
    }
    if (depth < path.length) node = (node as Record<string | number, unknown>)[path[depth]!];
  }
  return undefined;
}
