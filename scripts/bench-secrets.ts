/**
 * The hardcoded-secret section of `npm run bench`: apiguard against secretlint with its recommended preset,
 * on the positive and negative corpora of test/helpers/secret-corpus.ts (generated into a temporary folder,
 * never committed) and on the two together repeated, for speed beyond start-up. Set APIGUARD_BENCH_REPO to a
 * checkout (OWASP Juice Shop, for instance) to time both on it too.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { type Corpus, coversPlanted, negativeCorpus, positiveCorpus } from '../test/helpers/secret-corpus.ts';

interface Reported {
  file: string;
  line: number;
  endLine: number;
}

interface Run {
  seconds: number;
  reported: Reported[];
}

type Measure = (args: string[], cwd?: string) => Promise<{ seconds: number; report: { findings: object[] } }>;

const root = join(import.meta.dirname, '..');
/** Copies of both corpora timed together: speed beyond start-up (secretlint needs minutes for 50). */
const SCALE_COPIES = 10;
const SECRETLINT = join(root, 'node_modules/secretlint/bin/secretlint.js');

function writeCorpus(corpus: Corpus, copies = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'apiguard-secrets-bench-'));
  for (let copy = 0; copy < copies; copy++) {
    for (const [path, text] of Object.entries(corpus.files)) {
      const target = join(dir, copies > 1 ? `copy${copy}` : '', path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  return dir;
}

async function apiguard(measure: Measure, dir: string): Promise<Run> {
  const { seconds, report } = await measure(['scan', '.'], dir);
  const findings = report.findings as (Reported & { ruleId: string })[];
  return { seconds, reported: findings.filter((finding) => finding.ruleId === 'hardcoded-secret') };
}

async function secretlint(dir: string, config: string): Promise<Run> {
  const output = join(dirname(config), 'secretlint.json');
  const started = performance.now();
  // Its report goes to a file: piped, a large one is cut off when secretlint exits.
  const child = spawn(
    process.execPath,
    [SECRETLINT, '--secretlintrc', config, '--format', 'json', '--output', output, '**/*'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  // Exit 1 means findings; anything else is a failure of the run.
  if (code !== 0 && code !== 1) throw new Error(`secretlint exited with ${code}`);
  const results = JSON.parse(readFileSync(output, 'utf8') || '[]') as {
    filePath: string;
    messages: { loc: { start: { line: number }; end: { line: number } } }[];
  }[];
  rmSync(output);
  return {
    seconds,
    reported: results.flatMap((result) =>
      result.messages.map((message) => ({
        file: relative(dir, result.filePath).split('\\').join('/'),
        line: message.loc.start.line,
        endLine: message.loc.end.line,
      })),
    ),
  };
}

function recall(corpus: Corpus, run: Run): { found: number; missed: string[] } {
  const missed = corpus.planted.filter(
    (planted) => !run.reported.some((r) => coversPlanted(planted, r.file, r.line, r.endLine)),
  );
  return { found: corpus.planted.length - missed.length, missed: missed.map((planted) => planted.label) };
}

/** Findings that cover no planted secret: on the negative corpus, every finding. */
function falsePositives(corpus: Corpus, run: Run): number {
  return run.reported.filter(
    (r) => !corpus.planted.some((planted) => coversPlanted(planted, r.file, r.line, r.endLine)),
  ).length;
}

export async function benchSecrets(measure: Measure): Promise<void> {
  const positive = positiveCorpus();
  const negative = negativeCorpus();
  const scale: Corpus = {
    files: {
      ...positive.files,
      ...Object.fromEntries(Object.entries(negative.files).map(([p, t]) => [`negative/${p}`, t])),
    },
    planted: [],
  };
  const configDir = mkdtempSync(join(tmpdir(), 'apiguard-secretlintrc-'));
  const config = join(configDir, '.secretlintrc.json');
  writeFileSync(config, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const dirs = [writeCorpus(positive), writeCorpus(negative), writeCorpus(scale, SCALE_COPIES), configDir];
  try {
    const [positiveDir, negativeDir, scaleDir] = dirs as [string, string, string];
    const rows: string[][] = [];
    const missedBy: Record<string, string[]> = {};
    const scaleFiles = Object.keys(scale.files).length * SCALE_COPIES;
    for (const [tool, run] of [
      ['apiguard', (dir: string) => apiguard(measure, dir)],
      ['secretlint (recommend preset)', (dir: string) => secretlint(dir, config)],
    ] as const) {
      const onPositive = await run(positiveDir);
      const onNegative = await run(negativeDir);
      const onScale = await run(scaleDir);
      const { found, missed } = recall(positive, onPositive);
      missedBy[tool] = missed;
      rows.push([
        tool,
        `${found}/${positive.planted.length} (${((100 * found) / positive.planted.length).toFixed(0)} %)`,
        String(falsePositives(negative, onNegative)),
        String(falsePositives(positive, onPositive)),
        `${onPositive.seconds.toFixed(1)} s / ${onNegative.seconds.toFixed(1)} s`,
        `${onScale.seconds.toFixed(1)} s`,
      ]);
    }
    console.log(
      `\nHardcoded secrets: ${positive.planted.length} planted secrets in ${Object.keys(positive.files).length} files, ` +
        `decoys in ${Object.keys(negative.files).length} files; both corpora ×${SCALE_COPIES} = ${scaleFiles} files`,
    );
    const header = [
      'tool',
      'recall',
      'FP (negative)',
      'extra (positive)',
      'time pos / neg',
      `time ×${SCALE_COPIES}`,
    ];
    console.log(`  | ${header.join(' | ')} |\n  |${header.map(() => '---').join('|')}|`);
    for (const row of rows) console.log(`  | ${row.join(' | ')} |`);
    for (const [tool, missed] of Object.entries(missedBy)) {
      const counts = new Map<string, number>();
      for (const label of missed) {
        const where = label.replace(/^.* in /, 'in ');
        counts.set(where, (counts.get(where) ?? 0) + 1);
      }
      console.log(
        `  ${tool} missed ${missed.length}: ${[...counts].map(([where, count]) => `${count} ${where}`).join(', ') || 'none'}`,
      );
    }
    const repo = process.env.APIGUARD_BENCH_REPO;
    if (repo) {
      const ours = await apiguard(measure, repo);
      const theirs = await secretlint(repo, config);
      console.log(
        `  ${repo}: apiguard ${ours.reported.length} findings in ${ours.seconds.toFixed(1)} s (all rules), ` +
          `secretlint ${theirs.reported.length} findings in ${theirs.seconds.toFixed(1)} s`,
      );
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
