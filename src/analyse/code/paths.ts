/** Route path arithmetic: joining prefixes, and which middleware paths cover which routes. */
import { minimatch } from 'minimatch';
import type { PathHole } from './auth.ts';

export interface PathText {
  text: string;
  complete: boolean;
}

export const ROOT: PathText = { text: '', complete: true };

export function joinPaths(...parts: (PathText | undefined)[]): PathText {
  let text = '';
  let complete = true;
  for (const part of parts) {
    if (!part) continue;
    complete &&= part.complete;
    const segment = part.text.trim();
    if (segment === '' || segment === '/') continue;
    text = `${text.replace(/\/+$/, '')}/${segment.replace(/^\/+/, '')}`;
  }
  return { text: text === '' ? '/' : text.replace(/(.)\/+$/, '$1'), complete };
}

/** `/users/:id`, `/users/{id}`, `/users/[id]`, `*` and `{expr}` as comparable segments. */
function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function isParameter(segment: string): boolean {
  return /^[:*{[(]/.test(segment) || segment.includes('*');
}

export type PatternKind = 'prefix' | 'exact' | 'wildcard';

/**
 * Whether middleware registered on `pattern` runs for a route at `path`. `prefix` (Express/Koa `use`):
 * segment-wise prefix; `wildcard` (Hono): `*` matches the rest, otherwise exact. Parameters match any segment;
 * a pattern that is not a plain path (a regular expression, an unresolved expression) is assumed to match, so
 * unknown code never produces a finding.
 */
export function patternCovers(pattern: PathText, kind: PatternKind, path: string): boolean {
  if (!pattern.complete) return true;
  const text = pattern.text.trim();
  if (text === '' || text === '/' || text === '*' || text === '/*' || text === '(.*)') return true;
  const want = segments(text);
  const have = segments(path);
  for (let index = 0; index < want.length; index++) {
    const segment = want[index]!;
    if (kind === 'wildcard' && (segment === '*' || segment === '**')) return true;
    if (kind === 'wildcard' && segment.endsWith('*') && index === want.length - 1)
      return have[index]?.startsWith(segment.slice(0, -1)) ?? false;
    const actual = have[index];
    if (actual === undefined) return false;
    if (isParameter(segment) || isParameter(actual)) continue;
    if (segment.toLowerCase() !== actual.toLowerCase()) return false;
  }
  return kind === 'prefix' || want.length === have.length;
}

/** Whether a route falls into a hole a middleware leaves (`.unless({ path })`, an early `return next()`). */
export function holeCovers(hole: PathHole, method: string, path: string): boolean {
  if (hole.methods && !hole.methods.includes(method) && method !== 'ALL') return false;
  switch (hole.kind) {
    case 'exact':
      return patternCovers({ text: hole.pattern, complete: true }, 'exact', path) || hole.pattern === path;
    case 'prefix':
      return (
        path.startsWith(hole.pattern) || patternCovers({ text: hole.pattern, complete: true }, 'prefix', path)
      );
    case 'regex':
      return regexCovers(hole.pattern, path);
  }
}

/** Regular-expression holes are tried on the path with parameters filled in; an unusable pattern matches nothing. */
function regexCovers(literal: string, path: string): boolean {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(literal);
  const pattern = match && safeRegExp(match[1]!, match[2]!.replace(/[gy]/g, ''));
  return pattern ? pattern.test(path.replace(/:[^/]+|\{[^/]+\}|\[[^/]+\]/g, 'x')) : false;
}

/**
 * Compiles a regular expression written in the analysed repository, refusing long ones and those with a
 * quantified group that itself contains a quantifier (the shape of catastrophic backtracking): the repository
 * is untrusted, and the route paths it is tested on are too.
 */
export function safeRegExp(source: string, flags: string): RegExp | undefined {
  if (source.length > 500 || /\([^()]*[+*][^()]*\)[+*{]/.test(source) || /\([^()]*\([^()]*[+*]/.test(source))
    return undefined;
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** `GET /health`, `/public/**`, `GET,HEAD /status` from `auth.publicRoutes`. */
export function publicRouteMatches(entry: string, method: string, path: string): boolean {
  const match = /^(?:(\*|[A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)\s+)?(\S+)$/.exec(entry.trim());
  if (!match) return false;
  const methods =
    match[1] && match[1] !== '*' ? match[1].split(',').map((m) => m.trim().toUpperCase()) : undefined;
  if (methods && !methods.includes(method) && method !== 'ALL') return false;
  return (
    minimatch(path, match[2]!, { nocase: true }) ||
    minimatch(path.replace(/\/$/, ''), match[2]!.replace(/\/$/, ''), { nocase: true })
  );
}

/** Sign-in, sign-up, token and password-reset endpoints, OAuth callbacks, webhooks: public by design, any method. */
const PUBLIC_FLOW =
  /(^|[/.])(login|logout|signin|sign-in|signout|sign-out|signup|sign-up|register|registration|refresh|token|oauth2?|callback|authorize|auth|sso|saml|password[-_]?reset|reset[-_]?password|forgot[-_]?password|forgot|verify[-_]?email|confirm[-_]?email|magic[-_]?link|webhooks?)([/.]|$|\{|:|\[)/i;
/** Health checks, documentation and crawler files: public by design when read. */
const PUBLIC_READ =
  /(^|[/.])(public|_?health|healthz|healthcheck|livez|readyz|ready|ping|status|version|metrics|\.well-known|openapi(\.json|\.ya?ml)?|swagger(\.json)?|docs|robots\.txt|favicon\.ico|sitemap\.xml|manifest\.json)([/.-]|$|\{|:|\[)/i;

export function isConventionallyPublic(method: string, path: string): boolean {
  if (PUBLIC_FLOW.test(path) || method === 'OPTIONS') return true;
  return (method === 'GET' || method === 'HEAD') && (PUBLIC_READ.test(path) || path === '/' || path === '');
}

/** A catch-all (`/*`, `/api/(.*)`, `/:path*`): a fallback, not an endpoint of its own. */
export function isCatchAll(path: string): boolean {
  return /(^|\/)(\*\w*|\(\.\*\)|:[^/]+\*|\[\[?\.\.\.[^/]+\]\]?)$/.test(path.trim());
}

const ADMIN_SEGMENT =
  /^(admin|admins|administration|administrator|superadmin|super-admin|internal|staff|backoffice|back-office|sudo|root|management|ops)$/i;

export function isAdminPath(path: string): boolean {
  return segments(path).some(
    (segment) => ADMIN_SEGMENT.test(segment.replace(/^[:[{(]+|[\]})]+$/g, '')) && !isParameter(segment),
  );
}

/** The first static segment: what "the same resource" means for auth-after-route. */
export function resourceOf(path: string): string | undefined {
  return segments(path)
    .find((segment) => !isParameter(segment))
    ?.toLowerCase();
}
