/**
 * What extraction records per file while the program is loaded: plain data keyed by declaration identities
 * (`file:offset`), so files and programs can be dropped before routes are composed across all of them.
 */
import type { AuthExpr, PathHole } from './auth.ts';
import type { StepFlow } from './flow/analyser.ts';
import { emptyFlowModel, type FlowModel } from './flow/model.ts';
import type { PathText } from './paths.ts';
import type { AuthCheck, Framework, SourcePosition, SourceRange, StepKind } from './route.ts';

export interface StepFact extends SourcePosition {
  kind: StepKind;
  name: string;
  auth?: AuthExpr;
  holes?: PathHole[];
  /** NestJS metadata keys the guard skips authentication for. */
  honours?: string[];
  /** What the data-flow analysis saw in the step: rate limiting, request validation. */
  flow?: StepFlow;
}

export interface RouteFact {
  framework: Framework;
  methods: string[];
  path: PathText;
  steps: StepFact[];
  registration: SourceRange;
  handler: SourcePosition & { name?: string };
  /** The handler's own check (`if (!req.user) return 401`). */
  handlerCheck?: StepFact;
  /** The handler only answers with an error status (see `Route.rejectsAll`). */
  rejectsAll?: boolean;
  /** NestJS metadata keys set on the route or its controller (`@Public()`), and their decorators' names. */
  markers?: { key?: string; name: string }[];
}

/** Registration order: file, then offset in it. */
export interface Order {
  file: string;
  offset: number;
}

export type Entry =
  | { kind: 'route'; order: Order; route: RouteFact }
  | { kind: 'use'; order: Order; path?: PathText; steps: StepFact[] }
  /** A child router, sub-app or plugin. `encapsulate: false`: a Fastify plugin wrapped in `fastify-plugin`. */
  | { kind: 'mount'; order: Order; path?: PathText; steps: StepFact[]; child: string; encapsulate: boolean }
  /** The container is passed to a function that registers on it (`registerRoutes(app)`): its entries run here. */
  | { kind: 'include'; order: Order; child: string }
  /** Fastify `addHook`: applies to the whole encapsulation context whatever the order. */
  | { kind: 'hook'; order: Order; steps: StepFact[] };

export type ContainerFramework = 'express' | 'fastify' | 'koa' | 'hono';

export interface ContainerFact {
  key: string;
  /** Undefined for a function parameter whose framework only its callers reveal. */
  framework?: ContainerFramework;
  /** `app`: created as an application (a root); `router`; `param`: a function parameter. */
  role: 'app' | 'router' | 'param';
  prefix?: PathText;
  entries: Entry[];
  /** The parameter's type annotation names a framework type (`FastifyInstance`, `Router`). */
  typed?: boolean;
}

export interface NestController {
  key: string;
  path: PathText[];
  version?: string;
  steps: StepFact[];
  markers: { key?: string; name: string }[];
  routes: (RouteFact & { versions?: string[] })[];
}

export interface NestFacts {
  controllers: NestController[];
  /** `APP_GUARD` providers and `useGlobalGuards`. */
  globalGuards: StepFact[];
  /** `consumer.apply(mw).exclude(...).forRoutes(...)`. */
  middleware: {
    steps: StepFact[];
    forRoutes: ({ path: string; methods?: string[] } | { controller: string })[];
    exclude: { path: string; methods?: string[] }[];
  }[];
  globalPrefix?: { path: string; exclude: string[] };
  /** URI versioning's default version (`enableVersioning({ type: URI, defaultVersion: '1' })`). */
  defaultVersion?: string;
  versioning: boolean;
}

export interface NextMiddleware {
  /** The project root the middleware belongs to (routes under it are covered). */
  root: string;
  /** Matcher patterns (path-to-regexp syntax); none: every path. */
  matchers: string[];
  step: StepFact;
}

export interface TrpcProcedure {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  steps: StepFact[];
  registration: SourceRange;
  handler: SourcePosition;
  handlerCheck?: StepFact;
}

export interface TrpcRouter {
  key: string;
  procedures: TrpcProcedure[];
  /** Nested routers by property name. */
  children: { name: string; key: string }[];
}

export interface CodeFacts {
  containers: Map<string, ContainerFact>;
  /** Fastify `decorate(name, fn)`: the authentication evidence of each decorator. */
  decorations: Map<string, AuthExpr | null>;
  nest: NestFacts;
  /** Next.js routes with the project root they belong to (real path), for `middleware.ts` coverage. */
  nextRoutes: { root: string; route: RouteFact }[];
  nextMiddleware: NextMiddleware[];
  trpcRouters: Map<string, TrpcRouter>;
  /** tRPC endpoint per root router key (`fetchRequestHandler({ endpoint })`, the Next.js file path). */
  trpcEndpoints: Map<string, string>;
  /** Authentication found anywhere (also where no route uses it): the project has an auth mechanism. */
  mechanisms: AuthCheck[];
  /** Data flows from requests and errors to sinks, error handling, configuration (flow/). */
  flow: FlowModel;
  /** Arrivals already recorded and files already checked, across programs. */
  flowSeen: { arrivals: Set<string>; files: Set<string> };
}

export function emptyFacts(): CodeFacts {
  return {
    containers: new Map(),
    decorations: new Map(),
    nest: { controllers: [], globalGuards: [], middleware: [], versioning: false },
    nextRoutes: [],
    nextMiddleware: [],
    trpcRouters: new Map(),
    trpcEndpoints: new Map(),
    mechanisms: [],
    flow: emptyFlowModel(),
    flowSeen: { arrivals: new Set(), files: new Set() },
  };
}

export function compareOrder(a: Order, b: Order): number {
  return a.file === b.file ? a.offset - b.offset : a.file.localeCompare(b.file);
}
