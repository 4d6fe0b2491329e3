/**
 * The code-engine section of `npm run bench`: a synthetic Express + TypeScript repository of 2,000 route files,
 * 2,000 services and 2,000 repositories (routers mounted from another file, auth middleware imported across files,
 * a quarter of the routers unprotected; handlers call a service that calls a repository in a third file, half the
 * bodies validated with zod, every eighth repository building its SQL from the value), generated into a temporary
 * folder and scanned in full. Target: ≤ 20 s and ≤ 1 GB
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
  write(
    'package.json',
    JSON.stringify({ name: 'bench', dependencies: { express: '^5.1.0', pg: '^8.16.0' } }),
  );
  write('src/db/pool.ts', "import { Pool } from 'pg';\nexport const pool = new Pool();\n");
  const mounts: string[] = [];
  for (let index = 0; index < ROUTE_FILES; index++) {
    const guarded = index % 4 !== 0;
    // Every eighth repository builds its SQL from the value; the others pass it as a parameter.
    const builtSql = index % 8 === 0;
    write(
      `src/db/repo${index}.ts`,
      [
        "import { pool } from './pool';",
        `export async function find${index}(owner: string) {`,
        builtSql
          ? `  return (await pool.query(\`SELECT * FROM items${index} WHERE owner = '\${owner}'\`)).rows;`
          : `  return (await pool.query('SELECT * FROM items${index} WHERE owner = $1', [owner])).rows;`,
        '}',
        `export async function insert${index}(owner: string, name: string) {`,
        `  await pool.query('INSERT INTO items${index} (owner, name) VALUES ($1, $2)', [owner, name]);`,
        '}',
      ].join('\n'),
    );
    write(
      `src/services/s${index}.ts`,
      [
        `import { find${index}, insert${index} } from '../db/repo${index}';`,
        `export interface Item${index} { id: string; name: string }`,
        `export async function list${index}(owner: string): Promise<Item${index}[]> { return find${index}(owner.trim()); }`,
        `export async function create${index}(owner: string, body: { name?: string }): Promise<Item${index}> {`,
        `  if (!body?.name) throw new Error('empty');`,
        `  await insert${index}(owner, body.name);`,
        `  return { id: owner, name: body.name };`,
        '}',
      ].join('\n'),
    );
    write(
      `src/routes/r${index}.ts`,
      [
        "import { Router } from 'express';",
        "import { z } from 'zod';",
        "import { requireAuth } from '../middleware/auth';",
        `import { create${index}, list${index} } from '../services/s${index}';`,
        'const NewItem = z.object({ name: z.string().max(100) });',
        'const router = Router();',
        guarded ? 'router.use(requireAuth);' : '',
        `router.get('/', async (req, res) => res.json(await list${index}(String(req.query.owner))));`,
        `router.post('/', async (req, res) => res.status(201).json(await create${index}(String(req.query.owner), ${index % 2 === 0 ? 'NewItem.parse(req.body)' : 'req.body'})));`,
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
      `Synthetic Express repository: ${ROUTE_FILES} route files + ${ROUTE_FILES} services + ${ROUTE_FILES} repositories, full scan`,
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
