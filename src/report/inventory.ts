/**
 * `apiguard routes --spec`: the joined inventory of spec operations and code routes as text, JSON or Markdown,
 * and the short inventory section of the Action's job summary.
 */
import type { Route } from '../analyse/code/index.ts';
import {
  type AuthDrift,
  authDrift,
  type CrossCheckModel,
  type JoinedPair,
  renamedParameters,
} from '../analyse/crosscheck/model.ts';
import { plural } from '../findings/result.ts';
import { authSummary, type RouteFormat } from './routes.ts';
import { TOOL } from './tool.ts';

/** Version of the `apiguard routes --spec --format json` contract. */
export const INVENTORY_JSON_VERSION = 1;

export interface InventoryEntry {
  method: string;
  /** The spec's template under its base path, or the route's path in the framework's syntax. */
  path: string;
  /**
   * `implemented`, `unimplemented`, `not found` (the pair's routes are too incomplete to say), `possible`
   * (catch-all or partly unknown route), or the route's status: `undocumented`, `outside` (not under the base
   * path of its spec), `no spec`, `ignored`, `not judged`.
   */
  status: string;
  operation?: { spec: string; file: string; line: number; operationId?: string; security: string };
  route?: {
    file: string;
    line: number;
    path: string;
    framework: Route['framework'];
    auth: Route['auth'];
    evidence: string;
  };
  /** Security drift between the two, as `spec-code-auth-mismatch` reports it. */
  drift?: AuthDrift;
  /** Why a route was not judged or was ignored; renamed path parameters. */
  note?: string;
}

export function inventoryEntries(model: CrossCheckModel): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  for (const { operation, pair, fullPath, routes } of model.operations) {
    const spec = {
      spec: operation.spec,
      file: operation.at.file,
      line: operation.at.line,
      ...(operation.operationId ? { operationId: operation.operationId } : {}),
      security: operation.security.text,
    };
    const exact = routes.filter((match) => match.kind === 'exact');
    if (routes.length === 0) {
      entries.push({
        method: operation.method,
        path: fullPath,
        status: pair.lowCoverage ? 'not found' : 'unimplemented',
        operation: spec,
      });
      continue;
    }
    for (const match of exact.length > 0 ? exact : routes) {
      const drift = match.kind === 'exact' ? authDrift(operation, match.route) : undefined;
      const note =
        match.kind === 'catch-all'
          ? 'catch-all route'
          : match.kind === 'uncertain'
            ? 'route path partly unknown'
            : renamedParameters(operation, match.routeParams).length > 0
              ? `path parameters named ${match.routeParams.join(', ')} in the code`
              : exact.length > 1
                ? `ambiguous: ${exact.length} routes match`
                : undefined;
      entries.push({
        method: operation.method,
        path: fullPath,
        status: match.kind === 'exact' ? 'implemented' : 'possible',
        operation: spec,
        route: routeOf(match.route),
        ...(drift ? { drift } : {}),
        ...(note ? { note } : {}),
      });
    }
  }
  for (const joined of model.routes) {
    if (joined.status === 'documented' || joined.status === 'possible') continue;
    entries.push({
      method: joined.route.method,
      path: joined.route.unmounted ? `…${joined.route.path}` : joined.route.path,
      status: joined.status,
      route: routeOf(joined.route),
      ...(joined.reason ? { note: joined.reason } : {}),
    });
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function routeOf(route: Route): NonNullable<InventoryEntry['route']> {
  return {
    file: route.registration.file,
    line: route.registration.line,
    path: route.path,
    framework: route.framework,
    auth: route.auth,
    evidence: authSummary(route),
  };
}

const DRIFT: Record<AuthDrift, string> = {
  unprotected: 'spec requires auth, code has none',
  'declared-public': 'spec requires auth, code declares it public',
  'spec-public': 'spec public, code requires auth',
};

export function formatInventory(model: CrossCheckModel, format: RouteFormat): string {
  const entries = inventoryEntries(model);
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          version: INVENTORY_JSON_VERSION,
          tool: TOOL,
          pairs: model.pairs,
          unpaired: model.unpaired,
          entries,
        },
        null,
        2,
      )}\n`;
    case 'markdown':
      return `${pairLines(model).join('\n')}\n\n${markdownTable(entries)}`;
    case 'text':
      return text(model, entries);
  }
}

function columns(entry: InventoryEntry): string[] {
  const operation = entry.operation
    ? (entry.operation.operationId ?? `${entry.operation.file}:${entry.operation.line}`)
    : entry.status;
  const code = entry.route ? `${entry.route.file}:${entry.route.line}` : entry.status;
  const state =
    entry.operation && entry.route && entry.status !== 'implemented' ? `${entry.status}: ${code}` : code;
  return [
    entry.method,
    entry.path,
    operation,
    state,
    entry.operation?.security ?? '—',
    entry.route?.evidence ?? '—',
    [entry.drift ? DRIFT[entry.drift] : '', entry.note ?? ''].filter(Boolean).join('; '),
  ];
}

function pairLine(pair: JoinedPair): string {
  const base = pair.bases.filter(Boolean).join(', ') || '/';
  const coverage = pair.lowCoverage
    ? ' Fewer than half of the operations match a route: the code probably registers routes in ways apiguard cannot follow, so missing routes are not reported.'
    : '';
  return (
    `${pair.spec} ↔ ${pair.code} (paired by ${pair.pairedBy}; base path ${base}): ${pair.operations} operations, ` +
    `${pair.implemented} implemented; ${pair.routes} routes.${pair.baseNote ? ` ${pair.baseNote}.` : ''}${coverage}`
  );
}

function pairLines(model: CrossCheckModel): string[] {
  return [
    ...model.pairs.map(pairLine),
    ...model.unpaired.map(({ spec, why }) => `${spec}: not cross-checked, ${why}.`),
    ...(model.pairs.length === 0 && model.unpaired.length === 0
      ? ['No OpenAPI description was paired with the code.']
      : []),
  ];
}

function text(model: CrossCheckModel, entries: readonly InventoryEntry[]): string {
  const header = ['METHOD', 'PATH', 'OPERATION', 'CODE', 'SPEC SECURITY', 'CODE AUTH', 'NOTE'];
  const rows = [header, ...entries.map(columns)];
  const widths = header.map((_, column) => Math.min(60, Math.max(...rows.map((row) => row[column]!.length))));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  const totals = model.pairs.length > 0 ? `\n${countsLine(model)}\n` : '';
  return `${pairLines(model).join('\n')}\n\n${lines.join('\n')}\n${totals}`;
}

function markdownTable(entries: readonly InventoryEntry[]): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return `${[
    '| Method | Path | Operation | Code | Spec security | Code authentication | Note |',
    '|---|---|---|---|---|---|---|',
    ...entries.map((entry) => {
      const [method, path, ...rest] = columns(entry);
      return `| ${method} | \`${cell(path!)}\` | ${rest.map(cell).join(' | ')} |`;
    }),
  ].join('\n')}\n`;
}

interface PairCounts {
  pair: JoinedPair;
  unimplemented: number;
  undocumented: number;
  drift: number;
}

function counts(model: CrossCheckModel): PairCounts[] {
  return model.pairs.map((pair) => ({
    pair,
    unimplemented: model.operations.filter(
      (op) => op.pair === pair && op.routes.length === 0 && op.operation.method !== 'OPTIONS',
    ).length,
    undocumented: model.routes.filter(
      (joined) => joined.status === 'undocumented' && joined.specs.includes(pair.spec),
    ).length,
    drift: model.operations
      .filter((op) => op.pair === pair)
      .reduce(
        (sum, op) =>
          sum +
          op.routes.filter((match) => match.kind === 'exact' && authDrift(op.operation, match.route)).length,
        0,
      ),
  }));
}

function countsLine(model: CrossCheckModel): string {
  const all = counts(model);
  const sum = (key: 'unimplemented' | 'undocumented' | 'drift') =>
    all.reduce((total, entry) => total + entry[key], 0);
  return `${plural(all.length, 'spec')} paired: ${plural(sum('undocumented'), 'undocumented route')}, ${plural(sum('unimplemented'), 'operation')} without a route, ${plural(sum('drift'), 'route')} with security drift.`;
}

/** The job summary stays far below its 1 MiB limit whatever the number of specs. */
const MAX_SUMMARY_PAIRS = 25;

/**
 * The inventory section of the Action's job summary: per spec, its code, and how many operations, implemented
 * ones, undocumented routes and security drifts there are. Empty when nothing was cross-checked.
 */
export function formatInventorySummary(model: CrossCheckModel | undefined): string {
  if (!model || (model.pairs.length === 0 && model.unpaired.length === 0)) return '';
  const cell = (value: string) => value.replace(/\|/g, '\\|');
  const lines = [
    '### API inventory',
    '',
    '| Spec | Code | Operations | Implemented | Without a route | Undocumented routes | Security drift |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...counts(model)
      .slice(0, MAX_SUMMARY_PAIRS)
      .map(
        ({ pair, unimplemented, undocumented, drift }) =>
          `| \`${cell(pair.spec)}\` | ${cell(pair.code)} | ${pair.operations} | ${pair.implemented} | ${pair.lowCoverage ? `${unimplemented} (not reported¹)` : unimplemented} | ${undocumented} | ${drift} |`,
      ),
  ];
  if (model.pairs.length > MAX_SUMMARY_PAIRS)
    lines.push(`| … ${model.pairs.length - MAX_SUMMARY_PAIRS} more | | | | | | |`);
  if (model.pairs.some((pair) => pair.lowCoverage))
    lines.push(
      '',
      '¹ Fewer than half of the operations match a route: the code probably registers routes in ways apiguard cannot follow.',
    );
  for (const { spec, why } of model.unpaired.slice(0, MAX_SUMMARY_PAIRS))
    lines.push('', `\`${cell(spec)}\` was not cross-checked: ${why}.`);
  lines.push('', '`apiguard routes --spec` lists every operation and route.');
  return `\n${lines.join('\n')}\n`;
}
