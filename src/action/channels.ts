import type { ChangedFiles } from '../filter/diff.ts';
import type { Finding } from '../findings/finding.ts';
import type { ScanResult } from '../findings/result.ts';
import { planCheckRun } from '../report/github/check-run.ts';
import type { FindingPlace } from '../report/github/order.ts';
import { planReview } from '../report/github/review-comments.ts';
import { planStickyComment, stickyCommentBody } from '../report/github/sticky-comment.ts';
import type { GitHubClient } from './client.ts';

/** The API channels: each needs a token that may write, which pull requests from forks do not get. */
interface Target {
  client: GitHubClient;
  repository: { owner: string; repo: string };
}

/** Creates the check run on the analysed commit and appends the annotations 50 at a time. */
export async function publishCheckRun(
  { client, repository }: Target,
  result: ScanResult,
  place: FindingPlace,
  options: { headSha: string; summary: string },
): Promise<string> {
  const plan = planCheckRun(result, place, options);
  const { data } = await client.rest.checks.create({ ...repository, ...plan.create });
  try {
    for (const update of plan.updates) {
      await client.rest.checks.update({ ...repository, check_run_id: data.id, ...update });
    }
  } catch (error) {
    // A run left in progress would show as pending forever; complete it with what it has.
    const last = plan.updates.at(-1)!;
    await client.rest.checks
      .update({
        ...repository,
        check_run_id: data.id,
        status: 'completed',
        conclusion: last.conclusion!,
        output: { ...last.output, annotations: [] },
      })
      .catch(() => {});
    throw error;
  }
  const requests = 1 + plan.updates.length;
  return `check run "${plan.create.name}" created with ${result.findings.length - plan.omitted} annotations in ${requests} ${requests === 1 ? 'request' : 'requests'}`;
}

/** Creates or updates the one comment on the pull request that the marker identifies. */
export async function upsertStickyComment(
  { client, repository }: Target,
  issueNumber: number,
  options: { marker: string; markdown: string; hasFindings: boolean },
): Promise<string> {
  const existing = await client.paginate(client.rest.issues.listComments, {
    ...repository,
    issue_number: issueNumber,
    per_page: 100,
  });
  const body = stickyCommentBody(options.marker, options.markdown);
  const action = planStickyComment(existing, options.marker, body, options.hasFindings);
  switch (action.kind) {
    case 'create':
      await client.rest.issues.createComment({ ...repository, issue_number: issueNumber, body: action.body });
      return 'pull request comment posted';
    case 'update':
      await client.rest.issues.updateComment({ ...repository, comment_id: action.id, body: action.body });
      return 'pull request comment updated';
    case 'none':
      return `pull request comment left alone: ${action.why}`;
  }
}

/**
 * Posts one review with a comment per new finding on a diff line (findings already commented are skipped by
 * fingerprint) and deletes its earlier comments whose finding is gone, unless someone answered them.
 */
export async function postReviewComments(
  { client, repository }: Target,
  pr: { number: number; headSha: string },
  findings: readonly Finding[],
  place: FindingPlace,
  options: { files: ChangedFiles; max: number },
): Promise<string> {
  const existing = await client.paginate(client.rest.pulls.listReviewComments, {
    ...repository,
    pull_number: pr.number,
    per_page: 100,
  });
  const plan = planReview(findings, place, { ...options, existing });
  for (const id of plan.stale) {
    await client.rest.pulls.deleteReviewComment({ ...repository, comment_id: id });
  }
  if (plan.comments.length > 0) {
    await client.rest.pulls.createReview({
      ...repository,
      pull_number: pr.number,
      commit_id: pr.headSha,
      event: 'COMMENT',
      body: plan.body,
      comments: plan.comments,
    });
  }
  return `${plan.comments.length} review comments posted, ${plan.stale.length} outdated ones deleted`;
}
