/**
 * What the data-flow analysis hands to the code rules: plain data (no AST), computed while a program is loaded
 * and kept when it is dropped. Rules in rulesets/code judge it; nothing here decides what is reported.
 */
import type { FlowStep } from '../../../findings/finding.ts';
import type { SourcePosition, SourceRange } from '../route.ts';

/** One place on the way from a source to a sink, shown in messages and as a SARIF `codeFlow` step. */
export type { FlowStep };

/** The kinds of sink a value can reach; validation clears some of them and not others. */
export type SinkClass =
  | 'sql'
  | 'nosql'
  | 'command'
  | 'code'
  | 'path'
  | 'redirect'
  | 'ssrf'
  /** A whole request object stored as an entity: the caller chooses the fields. */
  | 'mass-assignment'
  /** Persistence or another service (reads and writes): any validation clears it. */
  | 'input'
  /** A response body (error data only). */
  | 'response';

export const SINK_CLASSES: readonly SinkClass[] = [
  'sql',
  'nosql',
  'command',
  'code',
  'path',
  'redirect',
  'ssrf',
  'mass-assignment',
  'input',
  'response',
];

/** Which part of the request a value came from. */
export type RequestPart =
  | 'body'
  | 'query'
  | 'params'
  | 'headers'
  | 'cookies'
  | 'files'
  /** tRPC `input`: validated by the procedure's `.input()` schema. */
  | 'input';

export type HandlerFramework = 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs' | 'nextjs' | 'trpc';

/** Request data (or error data) that reached a sink. */
export interface Arrival {
  sink: {
    class: SinkClass;
    /** `db.query`, `exec`, `res.redirect`. */
    name: string;
    range: SourceRange;
    /** For persistence and service sinks: does the call read (look up) or write. */
    operation?: 'read' | 'write';
    /** `library`: a known package API; `shape`: recognised by its name and arguments (an ORM method, `.query`). */
    by: 'library' | 'shape';
    /** NoSQL: JavaScript run by the database (`$where`, `$function`, `mapReduce`) rather than a filter. */
    javascript?: true;
  };
  source: {
    part: RequestPart | 'error';
    /** `req.body.name`, `@Body() dto`, `err.stack`. */
    label: string;
    at: SourcePosition;
  };
  /** Source first, sink last. */
  steps: FlowStep[];
  /** Sink classes the value was validated or sanitised for on its way (a UUID check clears all of them). */
  cleared: SinkClass[];
  /** What validated or sanitised it, for messages: `z.string() (src/schemas.ts:4)`. */
  evidence?: string;
  /** The value was built into a string (template or concatenation) before the sink. */
  built: boolean;
  /** Error data: which part of the error reached the response, and the status it is sent with. */
  error?: {
    part: 'object' | 'message' | 'stack';
    /** A caught error, or the error parameter of an error handler. */
    from: 'catch' | 'error-handler';
    status?: number;
    /** A branch established the error is meant for clients (`err instanceof HttpError`, `err.expose`). */
    clientSafe?: boolean;
  };
  /** The route handler (or error handler) the flow starts in. */
  handler: SourcePosition & { framework: HandlerFramework };
}

/** A `catch` in a handler or middleware that neither responds, rethrows nor passes the error on. */
export interface SwallowedCatch {
  at: SourceRange;
  /** `no-response`: nothing after it responds either; `ignored`: an empty catch, the handler carries on; `fail-open`: authentication middleware calls `next()`. */
  kind: 'no-response' | 'ignored' | 'fail-open';
  /** `.catch(() => {})` rather than a `catch` clause. */
  promise: boolean;
  handler: SourcePosition & { framework: HandlerFramework };
}

/** An async Express handler whose rejected promise nothing handles. */
export interface AsyncHandlerFact {
  at: SourceRange;
  /** The first `await` outside a `try` with a `catch`. */
  awaitAt: SourcePosition;
  /** The Express major version read from package.json. */
  expressMajor: number;
  handler: SourcePosition;
}

/** Facts of one route handler, keyed by its position (`file:line:column`). */
export interface HandlerFacts {
  /** The handler calls a rate limiter itself (`await limiter.consume(ip)`, `ratelimit.limit(id)`). */
  limitsRate?: string;
}

export interface CorsFact {
  at: SourceRange;
  /** `cors({ origin: true, credentials: true })`, a reflected Origin header with credentials, … */
  how: string;
}

export interface JwtFact {
  at: SourceRange;
  kind: 'decode-as-verify' | 'none-algorithm' | 'ignore-expiration' | 'algorithms-missing';
  /** `jwt.decode`, `jwt.verify`, `passport-jwt Strategy`. */
  call: string;
}

export interface CookieFact {
  at: SourceRange;
  /** The cookie's name when written literally (names are not secret; values are never recorded). */
  name?: string;
  /** How it is set: `res.cookie`, `express-session`, `ctx.cookies.set`. */
  via: string;
  missing: ('httpOnly' | 'secure' | 'sameSite')[];
  /** The attributes explicitly set to false (rather than left out). */
  disabled: ('httpOnly' | 'secure')[];
  /** Set by Fastify's `reply.setCookie`, which starts from the `parseOptions` given to @fastify/cookie. */
  fastifyReply?: true;
}

export interface TlsFact {
  at: SourceRange;
  /** `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = '0'`, … */
  how: string;
  /** Inside the `ssl` options of a database client rather than an HTTP/TLS client. */
  database: boolean;
}

export interface ErrorHandlerFacts {
  /** Express applications (`express()`) and whether any 4-argument error middleware is registered in the project. */
  expressApps: SourceRange[];
  customHandlers: number;
  /** The `errorhandler` package registered outside a development-only branch. */
  devHandlers: SourceRange[];
}

/** Everything the data-flow analysis found in the scan. */
export interface FlowModel {
  arrivals: Arrival[];
  swallowed: SwallowedCatch[];
  asyncHandlers: AsyncHandlerFact[];
  handlers: Map<string, HandlerFacts>;
  errorHandlers: ErrorHandlerFacts;
  cors: CorsFact[];
  jwt: JwtFact[];
  cookies: CookieFact[];
  tls: TlsFact[];
  /** Mongoose's `sanitizeFilter` or express-mongo-sanitize is enabled for the whole application. */
  nosqlSanitised?: string;
  /** Attributes turned on by `register(fastifyCookie, { parseOptions })`: defaults for every `reply.setCookie`. */
  fastifyCookieDefaults?: ('httpOnly' | 'secure' | 'sameSite')[];
}

export function emptyFlowModel(): FlowModel {
  return {
    arrivals: [],
    swallowed: [],
    asyncHandlers: [],
    handlers: new Map(),
    errorHandlers: { expressApps: [], customHandlers: 0, devHandlers: [] },
    cors: [],
    jwt: [],
    cookies: [],
    tls: [],
  };
}

/** `file:line:column`: how handler facts are looked up from a route's handler position. */
export function positionKey(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/** `req.body.name (src/routes/users.ts:12) → db.query (src/db/users.ts:40)`. */
export function describeSteps(steps: readonly FlowStep[]): string {
  return steps.map((step) => `${step.message} (${step.file}:${step.line})`).join(' → ');
}
