import type { Engine, Finding, Severity } from '../findings/finding.ts';
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
  /** Adds a table of counts per engine and severity. */
  byEngine?: boolean;
  /** Lines shown under the counts: how the findings were filtered, channels that could not be used. */
  notes?: readonly string[];
  /** Where the findings beyond the table can be read; default: the SARIF report. */
  elsewhere?: string;
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
  const { inline, baseline } = summary.suppressed;
  const suppressed = [
    ...(inline > 0 ? [`${inline} suppressed inline`] : []),
    ...(baseline > 0 ? [`${baseline} existing (in the baseline)`] : []),
  ];
  if (suppressed.length > 0) head.push('', `${suppressed.join(', ')}: not counted.`);
  if (options.byEngine && summary.total > 0) {
    head.push('', '| Engine | Errors | Warnings | Info |', '|---|---:|---:|---:|');
    for (const engine of Object.keys(summary.byEngine) as Engine[]) {
      const of = result.findings.filter((finding) => finding.engine === engine);
      if (of.length === 0) continue;
      const count = (severity: Severity) => of.filter((finding) => finding.severity === severity).length;
      head.push(`| ${engine} | ${count('error')} | ${count('warning')} | ${count('info')} |`);
    }
  }
  if (options.notes?.length) head.push('', ...options.notes.map((note) => `- ${note}`));
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
      `…and ${result.findings.length - shown} more. Every finding is in ${options.elsewhere ?? 'the SARIF report'}.`,
    );
  }
  return `${[...head, ...rows].join('\n')}\n`;
}
