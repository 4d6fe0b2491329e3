import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import {
  type ChangedFiles,
  changedLinesFromGit,
  DEFAULT_BASELINE_FILE,
  filterToDiff,
  formatBaseline,
  readBaseline,
} from '../filter/index.ts';
import { type FailOn, reachesThreshold } from '../findings/finding.ts';
import { hasFailed } from '../findings/result.ts';
import { COLOR, FORMATS, type Format, formatReport, PLAIN, useColor } from '../report/index.ts';
import { formatInventory } from '../report/inventory.ts';
import { formatRoutes, ROUTE_FORMATS, type RouteFormat } from '../report/routes.ts';
import { TOOL } from '../report/tool.ts';
import { bundledSpecWorkerFile, listInventory, listRoutes, scan } from '../scan.ts';
import { findWorkspace } from '../workspace.ts';
import { formatRuleList } from './rules.ts';

const USAGE = `apiguard ${TOOL.version}: security linter for OpenAPI specs and API handlers

Usage:
  apiguard scan [paths...]   Scan files and folders (default: .)
  apiguard rules             List every rule with its severity, CWE and OWASP category
  apiguard routes [paths...] List the API routes found in TypeScript/JavaScript code with their authentication
  apiguard baseline [paths...]  Write the fingerprints of today's findings to a baseline file

Options for scan:
  -f, --format <format>      stylish (default), json, sarif, markdown
  -o, --output <file>        Write the report to a file instead of stdout
  -c, --config <file>        Configuration file (default: .apiguard.yml found upward)
      --fail-on <level>      error (default), warning, info, never: exit 1 when a finding reaches it
      --baseline <file>      Findings listed in this baseline are reported as existing and never fail the run
      --changed-since <ref>  Only findings on lines changed since a git ref (\`git diff <ref>\`, plus untracked
                             files); the --fail-on threshold applies to what is left
  -q, --quiet                Report only findings that reach the --fail-on level; no progress

Options for routes:
  -f, --format <format>      text (default), json, markdown; also -o, --output and -c, --config
      --spec                 Join the routes with the operations of the OpenAPI descriptions: documented or not,
                             implemented or not, spec security beside code authentication

Options for baseline:
  -o, --output <file>        Where to write it (default: ${DEFAULT_BASELINE_FILE}); also -c, --config

  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no finding reaches the threshold, 1 one does, 2 usage or configuration error.
`;

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

class UsageError extends Error {}

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(
        `apiguard: ${error.message}\n${error instanceof UsageError ? 'Run `apiguard --help` for usage.\n' : ''}`,
      );
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${TOOL.version}\n`);
    return 0;
  }
  const [command = 'scan', ...rest] = positionals;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'rules') {
    process.stdout.write(
      formatRuleList(values.format === 'json' ? 'json' : values.format === 'markdown' ? 'markdown' : 'text'),
    );
    return 0;
  }
  if (command === 'routes') {
    const format = (values.format ?? 'text') as RouteFormat;
    if (!ROUTE_FORMATS.includes(format))
      throw new UsageError(`unknown format "${format}" for routes; use one of ${ROUTE_FORMATS.join(', ')}`);
    const listOptions = {
      paths: rest.length > 0 ? rest : ['.'],
      cwd: process.cwd(),
      ...(values.config ? { configFile: values.config } : {}),
    };
    const inventory = values.spec
      ? formatInventory(await listInventory(listOptions), format)
      : formatRoutes((await listRoutes(listOptions)).routes, format);
    if (values.output !== undefined) writeFileSync(resolve(values.output), inventory);
    else process.stdout.write(inventory);
    return 0;
  }
  const specWorkerFile = bundledSpecWorkerFile();
  if (command === 'baseline') {
    const result = await scan({
      paths: rest.length > 0 ? rest : ['.'],
      cwd: process.cwd(),
      ...(values.config ? { configFile: values.config } : {}),
      ...(specWorkerFile ? { specWorkerFile } : {}),
    });
    const output = resolve(values.output ?? DEFAULT_BASELINE_FILE);
    writeFileSync(output, formatBaseline(result.findings));
    process.stderr.write(
      `apiguard: wrote ${result.findings.length} findings to ${values.output ?? DEFAULT_BASELINE_FILE}\n`,
    );
    return 0;
  }
  const paths = command === 'scan' ? rest : positionals;
  const format = (values.format ?? 'stylish') as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown format "${format}"; use one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'] as FailOn | undefined;
  if (failOn && !FAIL_ON.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);

  const workspace = findWorkspace(process.cwd());
  let changedFiles: ChangedFiles | undefined;
  if (values['changed-since'] !== undefined) {
    try {
      changedFiles = changedLinesFromGit(workspace, [values['changed-since']], { includeUntracked: true });
    } catch (error) {
      throw new UsageError(`--changed-since: ${(error as Error).message}`);
    }
  }
  const baseline = values.baseline ? readBaseline(resolve(values.baseline), workspace) : undefined;

  const showProgress = !values.quiet && process.stderr.isTTY;
  const scanned = await scan({
    paths: paths.length > 0 ? paths : ['.'],
    cwd: process.cwd(),
    ...(values.config ? { configFile: values.config } : {}),
    ...(failOn ? { failOn } : {}),
    ...(specWorkerFile ? { specWorkerFile } : {}),
    ...(baseline ? { baseline } : {}),
    ...(showProgress
      ? { onProgress: (done, total) => process.stderr.write(`\rapiguard: ${done}/${total} spec files`) }
      : {}),
  });
  if (showProgress) process.stderr.write('\r\u001b[K');
  const result = changedFiles
    ? filterToDiff(scanned, { mode: 'added', files: changedFiles }).result
    : scanned;

  const shown = values.quiet
    ? {
        ...result,
        findings: result.findings.filter((f) =>
          reachesThreshold(f.severity, result.failOn === 'never' ? 'error' : result.failOn),
        ),
      }
    : result;
  const toFile = values.output !== undefined;
  const report = formatReport(format, shown, !toFile && useColor(process.stdout) ? COLOR : PLAIN);
  if (toFile) writeFileSync(resolve(values.output!), report);
  else process.stdout.write(report);
  return hasFailed(result) ? 1 : 0;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      'fail-on': { type: 'string' },
      baseline: { type: 'string' },
      'changed-since': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      spec: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
