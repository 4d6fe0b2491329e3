import type { Finding, Severity } from '../findings/finding.ts';
import { plural, type ScanResult, summarize } from '../findings/result.ts';
import { PLAIN, type Style } from './style.ts';

/** Grouped by file, one line per finding, a summary line last (like ESLint's stylish). */
export function formatStylish(result: ScanResult, style: Style = PLAIN): string {
  const paint: Record<Severity, (text: string) => string> = {
    error: style.red,
    warning: style.yellow,
    info: style.blue,
  };
  const byFile = new Map<string, Finding[]>();
  for (const finding of result.findings)
    byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const lines: string[] = [];
  for (const [file, findings] of byFile) {
    lines.push(style.underline(file));
    const width = Math.max(...findings.map((f) => `${f.line}:${f.column}`.length));
    for (const finding of findings) {
      const position = `${finding.line}:${finding.column}`.padEnd(width);
      lines.push(
        `  ${style.dim(position)}  ${paint[finding.severity](finding.severity.padEnd(7))}  ${finding.message}  ${style.dim(finding.ruleId)}`,
      );
    }
    lines.push('');
  }
  const summary = summarize(result);
  const { error, warning, info } = summary.bySeverity;
  const files = summary.files.openapi + summary.files.code;
  const counts = `${plural(summary.total, 'finding')} (${plural(error, 'error')}, ${plural(warning, 'warning')}, ${info} info)`;
  const extras = [
    `${plural(files, 'file')} checked`,
    ...(summary.suppressed.total > 0 ? [`${summary.suppressed.total} suppressed`] : []),
    `${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
  const mark = summary.result === 'fail' ? style.red('✖') : summary.total > 0 ? style.yellow('!') : '✔';
  lines.push(
    style.bold(`${mark} ${summary.total === 0 ? 'No findings' : counts}`) +
      style.dim(` · ${extras.join(' · ')}`),
  );
  return `${lines.join('\n')}\n`;
}
