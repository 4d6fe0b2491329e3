import { type ScanResult, summarize } from '../findings/result.ts';
import { TOOL } from './tool.ts';

/** Version 1 of the JSON output contract (documented in the README). */
export const JSON_OUTPUT_VERSION = 1;

export function formatJson(result: ScanResult): string {
  return `${JSON.stringify(
    {
      version: JSON_OUTPUT_VERSION,
      tool: TOOL,
      findings: result.findings,
      suppressed: result.suppressed,
      summary: summarize(result),
    },
    null,
    2,
  )}\n`;
}
