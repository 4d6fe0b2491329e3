import { compareFindings, type Finding, severityRank } from '../../findings/finding.ts';

/** Where a finding is and whether the change under review touches it: what every GitHub channel needs. */
export interface FindingPlace {
  /** Path relative to the repository root, as GitHub addresses files. */
  path: (finding: Finding) => string;
  /** On a line the pull request adds or changes. */
  inDiff: (finding: Finding) => boolean;
}

/**
 * The order channels with a cap show findings in: most severe first, then those the pull request touches, then
 * by file and line. Whatever a cap cuts off is the least important.
 */
export function byImportance(findings: readonly Finding[], place: Pick<FindingPlace, 'inDiff'>): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      Number(place.inDiff(b)) - Number(place.inDiff(a)) ||
      compareFindings(a, b),
  );
}

/** Cuts text to `max` characters, saying so, for fields GitHub rejects when too long. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '\n\n…(truncated)';
  return text.slice(0, max - marker.length) + marker;
}

/** A link to a line at a commit: `<server>/<owner>/<repo>/blob/<sha>/<path>#L<line>`. */
export function blobUrl(repositoryUrl: string, sha: string, path: string, line: number): string {
  return `${repositoryUrl}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}#L${line}`;
}
