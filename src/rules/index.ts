import { codeRules } from '../../rulesets/code/index.ts';
import { crossCheckRules } from '../../rulesets/crosscheck/index.ts';
import { specRules } from '../../rulesets/openapi/index.ts';
import { CODE_ENGINE_RULES } from '../analyse/code/diagnostics.ts';
import { ENGINE_RULES } from '../analyse/openapi/diagnostics.ts';
import type { RuleMeta } from '../findings/rule.ts';

/** Every rule apiguard ships, whatever its engine. Docs and SARIF descriptors come from here. */
export const allRules: readonly RuleMeta[] = [
  ...specRules.map((rule) => rule.meta),
  ...Object.values(ENGINE_RULES),
  ...codeRules.map((rule) => rule.meta),
  ...Object.values(CODE_ENGINE_RULES),
  ...crossCheckRules.map((rule) => rule.meta),
].sort((a, b) => a.id.localeCompare(b.id));

const byId = new Map(allRules.map((rule) => [rule.id, rule]));

export function findRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}
