/**
 * The code-engine section of `npm run bench`: a synthetic Express + TypeScript repository of 2,000 route files
 * and 2,000 services (routers mounted from another file, auth middleware imported across files, a quarter of
 * the routers unprotected), generated into a temporary folder and scanned in full. Target: ≤ 20 s and ≤ 1 GB
 * peak RSS on 2 cores.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Measure = (
  args: string[],
  cwd?: string,
) => Promise<{ seconds: number; peakRssMb: number; report: { findings: { ruleId: string }[] } }>;

const ROUTE_FILES = 2000;

function generate(dir: string): void {
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext' } }),
  );
  write(
    'src/middleware/auth.ts',
    [
      "import type { NextFunction, Request, Response } from 'express';",
      "import jwt from 'jsonwebtoken';",
      'export function requireAuth(req: Request, res: Response, next: NextFunction) {',
      '  const token = req.headers.authorization?.replace(/^Bearer /, "");',
      '  if (!token) return res.status(401).end();',
      '  try { res.locals.user = jwt.verify(token, process.env.JWT_SECRET!); } catch { return res.status(401).end(); }',
      '  next();',
      '}',
    ].join('\n'),
  );
  const mounts: string[] = [];
  for (let index = 0; index < ROUTE_FILES; index++) {
    const guarded = index % 4 !== 0;
    write(
      `src/services/s${index}.ts`,
      [
        `export interface Item${index} { id: string; name: string }`,
        `export async function list${index}(owner: string): Promise<Item${index}[]> { return [{ id: owner, name: 'n' }]; }`,
        `export async function create${index}(owner: string, body: unknown): Promise<Item${index}> {`,
        `  if (!body) throw new Error('empty');`,
        `  return { id: owner, name: String(body) };`,
        '}',
      ].join('\n'),
    );
    write(
      `src/routes/r${index}.ts`,
      [
        "import { Router } from 'express';",
        "import { requireAuth } from '../middleware/auth';",
        `import { create${index}, list${index} } from '../services/s${index}';`,
        'const router = Router();',
        guarded ? 'router.use(requireAuth);' : '',
        `router.get('/', async (req, res) => res.json(await list${index}(String(req.query.owner))));`,
        `router.post('/', async (req, res) => res.status(201).json(await create${index}(String(req.query.owner), req.body)));`,
        'export default router;',
      ].join('\n'),
    );
    mounts.push(`import r${index} from './routes/r${index}';`, `app.use('/r${index}', r${index});`);
  }
  write(
    'src/index.ts',
    ["import express from 'express';", 'const app = express();', ...mounts, 'app.listen(3000);'].join('\n'),
  );
}

export async function benchCode(measure: Measure): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apiguard-bench-code-'));
  try {
    generate(dir);
    console.log(
      `Synthetic Express repository: ${ROUTE_FILES} route files + ${ROUTE_FILES} services, full scan`,
    );
    const run = await measure(['scan', '.'], dir);
    const byRule = new Map<string, number>();
    for (const finding of run.report.findings)
      byRule.set(finding.ruleId, (byRule.get(finding.ruleId) ?? 0) + 1);
    console.log(
      `  wall ${run.seconds.toFixed(1)} s · peak RSS ${run.peakRssMb.toFixed(0)} MB · ${run.report.findings.length} findings  (target ≤ 20 s, ≤ 1 GB)`,
    );
    for (const [rule, count] of byRule) console.log(`    ${String(count).padStart(6)}  ${rule}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
