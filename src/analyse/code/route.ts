/**
 * The route model: every endpoint the code engine found, as plain data (JSON-serialisable, no AST). It is what
 * `apiguard routes` prints, what the code rules judge, and the seed of spec/code cross-checking.
 * Documented for users in the README ("Route inventory"); fields may be added, none removed or renamed.
 */

export type Framework = 'express' | 'fastify' | 'koa' | 'nestjs' | 'hono' | 'nextjs' | 'trpc';

/** A place in a source file: path relative to the working directory with `/` separators, 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface SourceRange extends SourcePosition {
  endLine: number;
  endColumn: number;
}

/** What a step of the chain is, in the framework's own terms. */
export type StepKind =
  /** Listed in the route registration itself (`app.get(path, mw, handler)`, `@UseGuards` on the method). */
  | 'route-middleware'
  /** `router.use(...)`, `app.use(...)` registered before the route on a matching path. */
  | 'use'
  /** Listed at the mount site (`app.use('/api', mw, router)`). */
  | 'mount-middleware'
  /** Fastify `addHook` (own or inherited encapsulation context) or a route-level `onRequest`/`preHandler`. */
  | 'hook'
  /** NestJS guard from `@UseGuards` on the controller class. */
  | 'guard'
  /** NestJS `APP_GUARD` provider, `useGlobalGuards`, or a middleware consumer `forRoutes`. */
  | 'global-guard'
  /** A higher-order function around the handler (`export const POST = withAuth(handler)`). */
  | 'wrapper'
  /** tRPC: a `.use()` middleware of the procedure builder. */
  | 'procedure-middleware'
  /** Next.js `middleware.ts` whose matcher covers the route: weaker evidence (CVE-2025-29927). */
  | 'edge-middleware'
  /** A check inside the handler itself (`if (!req.user) return res.sendStatus(401)`). */
  | 'handler-check';

/** Why a step counts as authentication. */
export interface AuthCheck {
  /** `library`: a known authentication library; `behaviour`: reads credentials and rejects; `config`: named in `.apiguard.yml`. */
  by: 'library' | 'behaviour' | 'config';
  /** Short human explanation, e.g. `passport.authenticate`, `reads the Authorization header and responds 401`. */
  detail: string;
  /** The step also checks a role, permission or scope (authorization beyond authentication). */
  role: boolean;
  /** Where the recognised function is defined, when it is in the repository. */
  definedAt?: SourcePosition;
}

/** One thing that runs before the handler (or, for `handler-check`, inside it), in execution order. */
export interface ChainStep extends SourcePosition {
  kind: StepKind;
  /** Source text of the middleware, guard, hook or wrapper, shortened (`requireAuth`, `AuthGuard('jwt')`). */
  name: string;
  /** Set when the step authenticates the caller. */
  auth?: AuthCheck;
  /** Set when the step limits the request rate (express-rate-limit, @nestjs/throttler, @fastify/rate-limit…). */
  rateLimit?: true;
}

export interface PublicDeclaration {
  /** `config`: `auth.publicRoutes`; `marker`: a public-marker decorator honoured by the guard; `exempted`: excluded from the auth middleware (`.unless()`, `exclude()`, a path test in the hook). */
  by: 'config' | 'marker' | 'exempted';
  detail: string;
}

export interface Route {
  framework: Framework;
  /** Upper-case HTTP method; `ALL` for handlers that answer every method (`app.all`, `router.use(path, fn)`). */
  method: string;
  /**
   * Full path with every prefix composed (mounts, plugin prefixes, controller paths, global prefix, file-system
   * segments), in the framework's syntax (`/users/:id`, `/users/[id]`). tRPC procedures: `<endpoint>/<dotted.path>`.
   */
  path: string;
  /** False when part of the path could not be resolved statically (shown as `{expression}`) or the router is never mounted. */
  pathComplete: boolean;
  /** Where the route is registered: the finding location for route rules. */
  registration: SourceRange;
  handler: SourcePosition & { name?: string };
  /** Everything that runs before the handler, in order, with the handler's own checks last. */
  chain: ChainStep[];
  /** `required`: a step authenticates; `weak`: only Next.js middleware does; `public`: declared public; `none`. */
  auth: 'required' | 'weak' | 'public' | 'none';
  public?: PublicDeclaration;
  /** Authentication registered after this route on a matching path, which therefore does not run for it. */
  lateAuth?: ChainStep[];
  /** Its router or plugin is never mounted where apiguard can see it: the prefix and mount-site middleware are unknown. */
  unmounted?: true;
  /** The handler only answers with an error status (a 404/405 stub): there is nothing behind it to protect. */
  rejectsAll?: true;
}

export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ALL']);

export function authSteps(route: Pick<Route, 'chain'>): ChainStep[] {
  return route.chain.filter((step) => step.auth);
}
