import type { ScanResult } from '../findings/result.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatSarif } from './sarif.ts';
import type { Style } from './style.ts';
import { formatStylish } from './stylish.ts';

export const FORMATS = ['stylish', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function formatReport(format: Format, result: ScanResult, style?: Style): string {
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

export { COLOR, PLAIN, useColor } from './style.ts';
export { formatJson, formatMarkdown, formatSarif, formatStylish };
