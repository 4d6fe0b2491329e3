/**
 * `npm run bench`: times the built CLI on large inputs and prints wall time, peak RSS and findings per rule.
 * Figures, not assertions: compare them with the targets in the README.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchCode } from './bench-code.ts';
import { benchSecrets } from './bench-secrets.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');

interface Measurement {
  seconds: number;
  peakRssMb: number;
  report: { findings: { ruleId: string }[]; summary: { total: number; byRule: Record<string, number> } };
}

/** Peak resident memory of a process tree's main process, read from /proc while it runs (Linux). */
function readPeakRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function measure(args: string[], cwd = root): Promise<Measurement> {
  const output = join(mkdtempSync(join(tmpdir(), 'apiguard-bench-')), 'report.json');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, ...args, '--format', 'json', '--output', output, '--fail-on', 'never'],
    {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, readPeakRss(child.pid!));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`apiguard exited with ${code}`);
  return {
    seconds: (performance.now() - started) / 1000,
    peakRssMb: peak,
    report: JSON.parse(readFileSync(output, 'utf8')),
  };
}

function printRules(byRule: Record<string, number>): void {
  for (const [rule, count] of Object.entries(byRule).sort((a, b) => b[1] - a[1])) {
    console.log(`    ${String(count).padStart(6)}  ${rule}`);
  }
}

const githubSpec = join(root, 'node_modules/@octokit/openapi/generated/api.github.com.json');
console.log(`GitHub REST description (${(readFileSync(githubSpec).length / 1e6).toFixed(1)} MB), all rules`);
const github = await measure(['scan', githubSpec]);
console.log(
  `  wall ${github.seconds.toFixed(1)} s · peak RSS ${github.peakRssMb.toFixed(0)} MB · ${github.report.summary.total} findings  (target ≤ 10 s, ≤ 1 GB)`,
);
printRules(github.report.summary.byRule);

await benchSecrets(measure);

await benchCode(measure);

// The action's start-up: from process start until analysis begins. dist/index.js logs that moment as a debug line
// (`performance.now()` counts from the process's start); no token, so no network.
{
  const workspace = mkdtempSync(join(tmpdir(), 'apiguard-bench-action-'));
  writeFileSync(join(workspace, 'openapi.yaml'), readFileSync(join(root, 'examples/openapi.yaml')));
  const runnerFile = (name: string) => {
    const path = join(workspace, name);
    writeFileSync(path, '');
    return path;
  };
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_OUTPUT: runnerFile('output'),
    GITHUB_STEP_SUMMARY: runnerFile('summary.md'),
    'INPUT_FAIL-ON': 'never',
  };
  const startups: number[] = [];
  for (let run = 0; run < 7; run++) {
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], { cwd: workspace, env });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await new Promise((resolve) => child.on('close', resolve));
    const ms = /::debug::apiguard: analysis starts (\d+) ms/.exec(stdout)?.[1];
    if (!ms) throw new Error(`dist/index.js did not reach the analysis:\n${stdout}`);
    startups.push(Number(ms));
  }
  startups.sort((a, b) => a - b);
  console.log(
    `Action start-up (dist/index.js until analysis begins), 7 runs: median ${startups[3]} ms, best ${startups[0]} ms  (target < 1 s)`,
  );
}
