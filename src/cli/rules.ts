import { ruleEngines } from '../findings/rule.ts';
import { renderRuleIndex } from '../rules/docs.ts';
import { allRules } from '../rules/index.ts';

export function formatRuleList(format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return `${JSON.stringify(allRules, null, 2)}\n`;
  if (format === 'markdown') return renderRuleIndex(allRules);
  const width = Math.max(...allRules.map((rule) => rule.id.length));
  const engines = (rule: (typeof allRules)[number]) => ruleEngines(rule).join('+');
  const engineWidth = Math.max(7, ...allRules.map((rule) => engines(rule).length));
  const lines = allRules.map(
    (rule) =>
      `${rule.id.padEnd(width)}  ${engines(rule).padEnd(engineWidth)}  ${rule.severity.padEnd(7)}  ${rule.cwe.join(',').padEnd(9)}  ${rule.owasp.join(',')}`,
  );
  return `${'rule'.padEnd(width)}  ${'engine'.padEnd(engineWidth)}  severity cwe        owasp\n${lines.join('\n')}\n`;
}
