import { redactSecrets } from '../analyse/secrets/index.ts';
import type { ScanResult } from '../findings/result.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatSarif } from './sarif.ts';
import type { Style } from './style.ts';
import { formatStylish } from './stylish.ts';

export const FORMATS = ['stylish', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(format: Format, result: ScanResult, style?: Style): string {
  return redactSecrets(formatUnredacted(format, result, style));
}

function formatUnredacted(format: Format, result: ScanResult, style?: Style): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result);
    case 'markdown':
      return formatMarkdown(result);
    case 'stylish':
      return formatStylish(result, style);
  }
}

/**
 * The last pass over any text apiguard sends out (reports, annotations, check runs, comments, summaries,
 * logs): masks whatever still looks like a secret. apiguard's own messages never hold a value; this
 * catches what a user's Spectral rule (`{{value}}`) or an echoed file name could carry.
 */
export { redactSecrets } from '../analyse/secrets/index.ts';

export { COLOR, PLAIN, useColor } from './style.ts';
export { formatJson, formatMarkdown, formatSarif, formatStylish };
