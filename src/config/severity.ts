import { minimatch } from 'minimatch';
import type { Severity } from '../findings/finding.ts';
import type { Config, RuleSetting } from './schema.ts';

/** The severity a rule has for a file after `rules` and the matching `overrides`, or 'off'. */
export function ruleSetting(
  config: Config,
  ruleId: string,
  file: string,
  defaultSeverity: Severity,
): RuleSetting {
  let setting: RuleSetting = config.rules[ruleId] ?? defaultSeverity;
  for (const override of config.overrides) {
    const value = override.rules[ruleId];
    if (
      value &&
      override.files.some((glob) => minimatch(file, glob, { dot: true, matchBase: !glob.includes('/') }))
    ) {
      setting = value;
    }
  }
  return setting;
}

/** Rules off everywhere: engines skip them entirely. */
export function disabledRules(config: Config): string[] {
  return Object.entries(config.rules)
    .filter(
      ([id, setting]) =>
        setting === 'off' && !config.overrides.some((o) => o.rules[id] && o.rules[id] !== 'off'),
    )
    .map(([id]) => id);
}
