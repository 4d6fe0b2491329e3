import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { type FailOn, reachesThreshold } from '../findings/finding.ts';
import { hasFailed } from '../findings/result.ts';
import { COLOR, FORMATS, type Format, formatReport, PLAIN, useColor } from '../report/index.ts';
import { TOOL } from '../report/tool.ts';
import { scan } from '../scan.ts';
import { formatRuleList } from './rules.ts';

const USAGE = `apiguard ${TOOL.version}: security linter for OpenAPI specs and API handlers

Usage:
  apiguard scan [paths...]   Scan files and folders (default: .)
  apiguard rules             List every rule with its severity, CWE and OWASP category

Options for scan:
  -f, --format <format>      stylish (default), json, sarif, markdown
  -o, --output <file>        Write the report to a file instead of stdout
  -c, --config <file>        Configuration file (default: .apiguard.yml found upward)
      --fail-on <level>      error (default), warning, info, never: exit 1 when a finding reaches it
  -q, --quiet                Report only findings that reach the --fail-on level; no progress
  -h, --help                 Show this help
  -v, --version              Show the version

Exit codes: 0 no finding reaches the threshold, 1 one does, 2 usage or configuration error.
`;

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

class UsageError extends Error {}

/** The bundled worker that bounds each spec's time and memory, when running from dist/. */
function specWorkerFile(): string | undefined {
  const entry = process.argv[1];
  if (!entry) return undefined;
  const candidate = join(dirname(realpathSync(entry)), 'openapi-worker.js');
  return existsSync(candidate) ? candidate : undefined;
}

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
  const paths = command === 'scan' ? rest : positionals;
  const format = (values.format ?? 'stylish') as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown format "${format}"; use one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'] as FailOn | undefined;
  if (failOn && !FAIL_ON.includes(failOn))
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}`);

  const showProgress = !values.quiet && process.stderr.isTTY;
  const result = await scan({
    paths: paths.length > 0 ? paths : ['.'],
    cwd: process.cwd(),
    ...(values.config ? { configFile: values.config } : {}),
    ...(failOn ? { failOn } : {}),
    ...(specWorkerFile() ? { specWorkerFile: specWorkerFile()! } : {}),
    ...(showProgress
      ? { onProgress: (done, total) => process.stderr.write(`\rapiguard: ${done}/${total} spec files`) }
      : {}),
  });
  if (showProgress) process.stderr.write('\r\u001b[K');

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
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
