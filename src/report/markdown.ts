import type { Finding, Severity } from '../findings/finding.ts';
import { plural, type ScanResult, summarize } from '../findings/result.ts';
import { ruleDocsUrl } from '../findings/rule.ts';
import { findRule } from '../rules/index.ts';

const ICON: Record<Severity, string> = { error: '🔴', warning: '🟠', info: '🔵' };

export interface MarkdownOptions {
  /** Turns a finding into a link to its line, e.g. on GitHub at the pull request's head commit. */
  linkTo?: (finding: Finding) => string | undefined;
  /** At most this many rows in the table. */
  maxRows?: number;
  /** Stop adding rows before the text exceeds this many characters. */
  maxLength?: number;
}

export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

export function formatMarkdown(result: ScanResult, options: MarkdownOptions = {}): string {
  const summary = summarize(result);
  const { error, warning, info } = summary.bySeverity;
  const head = [
    '## apiguard',
    '',
    summary.total === 0
      ? '✅ No findings.'
      : `${summary.result === 'fail' ? '❌' : '⚠️'} **${plural(summary.total, 'finding')}**: ${ICON.error} ${plural(error, 'error')} · ${ICON.warning} ${plural(warning, 'warning')} · ${ICON.info} ${info} info`,
  ];
  if (summary.suppressed.total > 0) head.push('', `${summary.suppressed.total} suppressed (not counted).`);
  if (summary.total === 0) return `${head.join('\n')}\n`;

  const maxRows = options.maxRows ?? 100;
  const maxLength = options.maxLength ?? 60_000;
  const rows: string[] = ['', '| | Rule | Location | Finding |', '|---|---|---|---|'];
  let length = head.join('\n').length + rows.join('\n').length;
  let shown = 0;
  for (const finding of result.findings) {
    if (shown >= maxRows) break;
    const location = `${finding.file}:${finding.line}`;
    const link = options.linkTo?.(finding);
    const rule = findRule(finding.ruleId)
      ? `[${finding.ruleId}](${ruleDocsUrl(finding.ruleId)})`
      : finding.ruleId;
    const row = `| ${ICON[finding.severity]} | ${rule} | ${link ? `[${escapeCell(location)}](${link})` : `\`${escapeCell(location)}\``} | ${escapeCell(finding.message)} |`;
    if (length + row.length + 200 > maxLength) break;
    rows.push(row);
    length += row.length + 1;
    shown++;
  }
  if (shown < result.findings.length) {
    rows.push(
      '',
      `…and ${result.findings.length - shown} more. Every finding is in the SARIF report and the check run.`,
    );
  }
  return `${[...head, ...rows].join('\n')}\n`;
}
