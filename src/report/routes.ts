/** `apiguard routes`: the route inventory as text, JSON (documented in the README) or Markdown. */
import type { Route } from '../analyse/code/route.ts';
import { TOOL } from './tool.ts';

export const ROUTE_FORMATS = ['text', 'json', 'markdown'] as const;
export type RouteFormat = (typeof ROUTE_FORMATS)[number];

/** Version of the `apiguard routes --format json` contract. */
export const ROUTES_JSON_VERSION = 1;

/** What a route's authentication rests on, in a few words: `requireAuth (src/app.ts:12)`, `none`. */
export function authSummary(route: Route): string {
  const steps = route.chain.filter((step) => step.auth);
  if (steps.length > 0) {
    const text = steps.map((step) => `${step.name} (${step.file}:${step.line})`).join(', ');
    return route.auth === 'weak' ? `middleware only: ${text}` : text;
  }
  if (route.public) return `public: ${route.public.detail}`;
  return 'none';
}

export function formatRoutes(routes: readonly Route[], format: RouteFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ version: ROUTES_JSON_VERSION, tool: TOOL, routes }, null, 2)}\n`;
    case 'markdown':
      return markdown(routes);
    case 'text':
      return text(routes);
  }
}

function text(routes: readonly Route[]): string {
  if (routes.length === 0) return 'No routes found.\n';
  const rows = routes.map((route) => [
    route.method,
    displayPath(route),
    `${route.handler.file}:${route.handler.line}`,
    authSummary(route),
  ]);
  const widths = [0, 1, 2].map((column) => Math.min(60, Math.max(...rows.map((row) => row[column]!.length))));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  const open = routes.filter((route) => route.auth === 'none').length;
  return `${lines.join('\n')}\n\n${routes.length} routes, ${open} without authentication.\n`;
}

function markdown(routes: readonly Route[]): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '| Method | Path | Handler | Authentication |',
    '|---|---|---|---|',
    ...routes.map(
      (route) =>
        `| ${route.method} | \`${cell(displayPath(route))}\` | ${cell(`${route.handler.file}:${route.handler.line}`)} | ${cell(authSummary(route))} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Paths of routers never seen mounted are shown with a leading `…` (their prefix is unknown). */
function displayPath(route: Route): string {
  return route.unmounted ? `…${route.path}` : route.path;
}
