import { describe, expect, it } from 'vitest';
import { blobUrl } from '../../src/report/github/order.ts';
import { githubMarkdown, MAX_SUMMARY_BYTES } from '../../src/report/github/summary.ts';
import { makeFinding, makeResult, placeWith } from './helpers/findings.ts';

const repositoryUrl = 'https://github.com/acme/shop';
const sha = 'b'.repeat(40);

describe('job summary', () => {
  it('counts by severity and engine, then lists the most important findings linking to their lines', () => {
    const result = makeResult([
      makeFinding({ severity: 'info', line: 2 }),
      makeFinding({ severity: 'error', line: 9 }),
      makeFinding({ severity: 'warning', engine: 'code', file: 'src/app.ts', line: 4 }),
    ]);
    const markdown = githubMarkdown(result, {
      place: placeWith(),
      linkTo: (f) => blobUrl(repositoryUrl, sha, f.file, f.line),
      notes: ['Only findings on lines this pull request adds or changes are reported.'],
      elsewhere: 'the SARIF file apiguard.sarif',
    });
    expect(markdown).toContain('| openapi | 1 | 0 | 1 |');
    expect(markdown).toContain('| code | 0 | 1 | 0 |');
    expect(markdown).toContain('- Only findings on lines this pull request adds or changes are reported.');
    expect(markdown).toContain(`[openapi.yaml:9](${repositoryUrl}/blob/${sha}/openapi.yaml#L9)`);
    const rows = markdown.split('\n').filter((line) => /^\| (🔴|🟠|🔵) /.test(line));
    expect(rows.map((row) => row.slice(2, 4))).toEqual(['🔴', '🟠', '🔵']);
  });

  it('stays within 1 MiB however many findings and however long their messages', () => {
    const findings = Array.from({ length: 30_000 }, (_, i) =>
      makeFinding({ line: i + 1, message: `${'€'.repeat(300)} ${i}` }),
    );
    const markdown = githubMarkdown(makeResult(findings), {
      place: placeWith(),
      linkTo: (f) => blobUrl(repositoryUrl, sha, f.file, f.line),
      elsewhere: 'the SARIF file apiguard.sarif',
    });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(markdown).toMatch(/…and \d+ more\. Every finding is in the SARIF file apiguard\.sarif\./);
  });

  it('encodes paths in links', () => {
    expect(blobUrl(repositoryUrl, sha, 'api specs/open#api.yaml', 3)).toBe(
      `${repositoryUrl}/blob/${sha}/api%20specs/open%23api.yaml#L3`,
    );
  });
});
