import type { Finding } from '../../findings/finding.ts';
import type { ScanResult } from '../../findings/result.ts';
import { formatMarkdown } from '../markdown.ts';
import { byImportance, type FindingPlace } from './order.ts';

/** Over this, the runner refuses the step's summary upload. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;
/** A UTF-16 code unit never takes more than 3 bytes in UTF-8, so this many characters always fit. */
const MAX_SUMMARY_CHARS = Math.floor(MAX_SUMMARY_BYTES / 3) - 1024;

export interface SummaryOptions {
  place: FindingPlace;
  /** A link to the finding's line at the analysed commit. */
  linkTo?: (finding: Finding) => string;
  notes?: readonly string[];
  /** Where the findings that do not fit are. */
  elsewhere: string;
  /** Characters (job summary: the 1 MiB limit; check run and comment: about 64 K). */
  maxLength?: number;
  maxRows?: number;
}

/**
 * The Markdown report the job summary, the check run and the sticky comment share: counts by severity and
 * engine, notes, and a table of the most important findings linking to their lines.
 */
export function githubMarkdown(result: ScanResult, options: SummaryOptions): string {
  return formatMarkdown(
    { ...result, findings: byImportance(result.findings, options.place) },
    {
      byEngine: true,
      elsewhere: options.elsewhere,
      maxLength: options.maxLength ?? MAX_SUMMARY_CHARS,
      maxRows: options.maxRows ?? 1000,
      ...(options.linkTo ? { linkTo: options.linkTo } : {}),
      ...(options.notes ? { notes: options.notes } : {}),
    },
  );
}
