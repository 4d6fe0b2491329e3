import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import { ConfigError } from '../config/index.ts';
import { isInDiff, workspacePath } from '../filter/diff.ts';
import { type FilterMode, filterToDiff, readBaseline } from '../filter/index.ts';
import type { Finding } from '../findings/finding.ts';
import { hasFailed, plural, type ScanResult, summarize } from '../findings/result.ts';
import { planWorkflowAnnotations } from '../report/github/annotations.ts';
import { CHECK_RUN_NAME, MAX_OUTPUT_CHARS, severityCounts } from '../report/github/check-run.ts';
import { blobUrl, type FindingPlace } from '../report/github/order.ts';
import { MAX_COMMENT_CHARS, stickyMarker } from '../report/github/sticky-comment.ts';
import { githubMarkdown } from '../report/github/summary.ts';
import { formatInventorySummary } from '../report/inventory.ts';
import { formatSarif } from '../report/sarif.ts';
import { bundledSpecWorkerFile, scan } from '../scan.ts';
import { type ChangedLines, readChangedLines, readMergeGroupChangedLines } from './changed-lines.ts';
import { postReviewComments, publishCheckRun, upsertStickyComment } from './channels.ts';
import { createGitHubClient, type GitHubClient } from './client.ts';
import { describeError, isForbidden, neverPrint, redact } from './errors.ts';
import { type ActionEvent, readEvent } from './event.ts';
import { type ActionInputs, InputError, readInputs } from './inputs.ts';

const SCOPE: Record<Exclude<FilterMode, 'nofilter'>, (change: string) => string> = {
  added: (change) => `on lines ${change} adds or changes`,
  diff_context: (change) => `on lines the diff of ${change} shows`,
  file: (change) => `in files ${change} changes`,
};

/** What happened to one API channel: said in the log and the job summary, never silently dropped. */
interface ChannelOutcome {
  channel: string;
  done?: string;
  forbidden?: string;
  failed?: string;
}

export async function run(): Promise<void> {
  try {
    await runAction();
  } catch (error) {
    if (error instanceof InputError || error instanceof ConfigError) {
      core.setFailed(redact(error.message));
      return;
    }
    core.debug(redact(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    core.setFailed(`apiguard failed: ${describeError(error)}`);
  }
}

async function runAction(): Promise<void> {
  const inputs = readInputs((name) => core.getInput(name));
  neverPrint(inputs.token);
  const event = readEvent();
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const warnings = [...event.problems];
  const notices: string[] = [];

  const baseline = inputs.baseline ? readBaseline(resolve(workspace, inputs.baseline), workspace) : undefined;
  // @actions/github parses GITHUB_EVENT_PATH as it loads and throws on a payload that is not JSON.
  if (!event.payloadReadable) delete process.env.GITHUB_EVENT_PATH;
  const client =
    inputs.token && event.repository
      ? createGitHubClient(inputs.token, {
          log: (message) => core.info(redact(message)),
          ...(process.env.APIGUARD_RETRY_BASE_MS
            ? { retryBaseMs: Number(process.env.APIGUARD_RETRY_BASE_MS) }
            : {}),
        }).catch((error) => {
          warnings.push(`The GitHub client could not be loaded (${describeError(error)}).`);
          return undefined;
        })
      : Promise.resolve(undefined);
  // The pull request's changed lines are fetched while the files are analysed.
  const { pullRequest, mergeGroup } = event;
  const changes: Promise<ChangedLines | undefined> = pullRequest
    ? client.then((octokit) => readChangedLines(octokit, event.repository, pullRequest, workspace))
    : Promise.resolve(
        mergeGroup && event.sha
          ? readMergeGroupChangedLines(workspace, mergeGroup.baseSha, event.sha)
          : undefined,
      );

  const specWorkerFile = bundledSpecWorkerFile();
  core.debug(`apiguard: analysis starts ${Math.round(performance.now())} ms after the process started`);
  const scanned = await scan({
    paths: inputs.paths,
    cwd: workspace,
    ...(inputs.config ? { configFile: inputs.config } : {}),
    ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
    ...(specWorkerFile ? { specWorkerFile } : {}),
    ...(baseline ? { baseline } : {}),
    neverRunRepositoryCode: event.name === 'pull_request_target',
  });
  const changed = await changes;
  const notes = [...(changed?.notes ?? [])];
  for (const note of notes) core.info(note);

  const mode = inputs.filterMode ?? (pullRequest || mergeGroup ? 'added' : 'nofilter');
  let reported = scanned;
  if (mode !== 'nofilter' && changed?.files) {
    const { result, outside } = filterToDiff(scanned, { mode, files: changed.files });
    reported = result;
    notes.push(
      `Only findings ${SCOPE[mode](pullRequest ? 'this pull request' : 'this merge group')} are reported (filter-mode: ${mode})${outside > 0 ? `; ${outside} elsewhere are not` : ''}.`,
    );
  } else if (mode !== 'nofilter' && !pullRequest && !mergeGroup) {
    notes.push(
      `filter-mode ${mode} needs a pull request or a merge group; this ${event.name} run reports every finding.`,
    );
    core.info(notes.at(-1)!);
  }

  const place: FindingPlace = {
    path: (finding) => workspacePath(reported, finding),
    inDiff: changed?.files
      ? (finding) =>
          isInDiff({ mode: 'added', files: changed.files! }, workspacePath(reported, finding), finding.line)
      : () => false,
  };
  const linkTo =
    event.repositoryUrl && event.sha
      ? (finding: Finding) => blobUrl(event.repositoryUrl!, event.sha!, place.path(finding), finding.line)
      : undefined;

  // Every finding, not only the pull request's: code scanning would take the missing ones for fixed.
  const sarifPath = resolve(workspace, inputs.sarifFile);
  try {
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, formatSarif(scanned));
  } catch (error) {
    warnings.push(`The SARIF file ${inputs.sarifFile} could not be written (${describeError(error)}).`);
  }
  setOutputs(reported, inputs.sarifFile);

  const outcomes = await publishToGitHub(await client, event, inputs, reported, place, {
    markdown: (maxLength, elsewhere) =>
      githubMarkdown(reported, {
        place,
        notes,
        elsewhere,
        maxLength,
        maxRows: 100,
        ...(linkTo ? { linkTo } : {}),
      }),
    files: changed?.files,
  });
  const forbidden = outcomes.filter((outcome) => outcome.forbidden);
  if (forbidden.length > 0) notices.push(readOnlyNotice(forbidden, event));
  for (const outcome of outcomes) {
    if (outcome.done) core.info(`apiguard: ${outcome.done}.`);
    if (outcome.failed) warnings.push(`apiguard could not write the ${outcome.channel}: ${outcome.failed}.`);
  }
  const summaryNotes = [
    ...notes,
    ...outcomes.flatMap((o) => (o.forbidden ? [`No ${o.channel}: ${o.forbidden}.`] : [])),
    ...outcomes.flatMap((o) => (o.failed ? [`No ${o.channel}: ${o.failed}.`] : [])),
  ];

  const failed = hasFailed(reported);
  const checkRunDone = outcomes.some((o) => o.channel === 'check run' && o.done);
  const elsewhere = listJoin([
    ...(checkRunDone ? [`the check run "${CHECK_RUN_NAME}"`] : []),
    'the job summary',
    `the SARIF file ${inputs.sarifFile}`,
  ]);
  const plan = planWorkflowAnnotations(reported.findings, place, {
    reserved: { error: failed ? 1 : 0, warning: warnings.length, notice: notices.length },
    elsewhere,
  });
  for (const message of warnings) core.warning(redact(message));
  for (const message of notices) core.notice(redact(message));
  const print = { error: core.error, warning: core.warning, notice: core.notice };
  for (const annotation of plan.annotations)
    print[annotation.level](annotation.message, annotation.properties);
  if (plan.moreNotice) core.notice(plan.moreNotice);

  writeJobSummary(
    githubMarkdown(reported, {
      place,
      notes: summaryNotes,
      elsewhere: `the SARIF file ${inputs.sarifFile}`,
      ...(linkTo ? { linkTo } : {}),
    }) + formatInventorySummary(scanned.inventory),
  );

  if (failed) {
    core.setFailed(
      `apiguard: ${plural(reported.findings.length, 'finding')} (${severityCounts(reported)}); fail-on ${reported.failOn} is reached.`,
    );
  }
}

function setOutputs(result: ScanResult, sarifFile: string): void {
  const { bySeverity, suppressed } = summarize(result);
  core.setOutput('errors', bySeverity.error);
  core.setOutput('warnings', bySeverity.warning);
  core.setOutput('infos', bySeverity.info);
  core.setOutput('total', result.findings.length + suppressed.baseline);
  core.setOutput('new', result.findings.length);
  core.setOutput('sarif-file', sarifFile);
  core.setOutput('result', hasFailed(result) ? 'fail' : 'pass');
}

async function publishToGitHub(
  client: GitHubClient | undefined,
  event: ActionEvent,
  inputs: ActionInputs,
  result: ScanResult,
  place: FindingPlace,
  options: {
    markdown: (maxLength: number, elsewhere: string) => string;
    files: ChangedLines['files'];
  },
): Promise<ChannelOutcome[]> {
  const { repository, pullRequest, sha } = event;
  if (!client || !repository) return [];
  const target = { client, repository };
  const attempt = async (channel: string, work: () => Promise<string>): Promise<ChannelOutcome> => {
    try {
      return { channel, done: await work() };
    } catch (error) {
      return isForbidden(error)
        ? { channel, forbidden: describeError(error) }
        : { channel, failed: describeError(error) };
    }
  };
  const outcomes: ChannelOutcome[] = [];
  if (inputs.checkRun && sha) {
    outcomes.push(
      await attempt('check run', () =>
        publishCheckRun(target, result, place, {
          headSha: sha,
          summary: options.markdown(MAX_OUTPUT_CHARS - 2000, 'the job summary and the SARIF file'),
        }),
      ),
    );
  }
  if (inputs.prComment && pullRequest) {
    outcomes.push(
      await attempt('pull request comment', () =>
        upsertStickyComment(target, pullRequest.number, {
          marker: stickyMarker(
            process.env.GITHUB_WORKFLOW ?? '',
            process.env.GITHUB_JOB ?? '',
            inputs.paths.join('\n'),
          ),
          markdown: options.markdown(
            MAX_COMMENT_CHARS - 2000,
            'the check run, the job summary and the SARIF file',
          ),
          hasFindings: result.findings.length > 0,
        }),
      ),
    );
  }
  if (inputs.reviewComments && pullRequest && options.files) {
    const files = options.files;
    outcomes.push(
      await attempt('review comments', () =>
        postReviewComments(target, pullRequest, result.findings, place, {
          files,
          max: inputs.maxReviewComments,
        }),
      ),
    );
  }
  return outcomes;
}

/** The one notice for write channels the token may not use. The job still fails on the threshold. */
function readOnlyNotice(forbidden: ChannelOutcome[], event: ActionEvent): string {
  const channels = listJoin(forbidden.map((outcome) => `the ${outcome.channel}`));
  const why = event.pullRequest?.fromFork
    ? 'this pull request comes from a fork, and GitHub gives such runs a read-only token'
    : `the token may not write there (${forbidden[0]!.forbidden})`;
  return `apiguard could not write ${channels}: ${why}. Findings are reported as annotations and in the job summary instead, and the job still fails when they reach fail-on. Same-repository runs need \`permissions: checks: write, pull-requests: write\`.`;
}

function writeJobSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    appendFileSync(file, markdown);
  } catch (error) {
    core.info(`apiguard: the job summary could not be written (${describeError(error)}).`);
  }
}

function listJoin(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
