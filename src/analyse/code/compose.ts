/**
 * Turns the facts of every file into the route model: prefixes composed across mounts and plugins, and for
 * each route the ordered chain of what runs before its handler. Pure data in, pure data out.
 */
import type { AuthExpr } from './auth.ts';
import {
  type CodeFacts,
  type ContainerFact,
  compareOrder,
  type Entry,
  type NestController,
  type RouteFact,
  type StepFact,
  type TrpcRouter,
} from './facts.ts';
import {
  holeCovers,
  joinPaths,
  type PathText,
  type PatternKind,
  patternCovers,
  publicRouteMatches,
  ROOT,
  safeRegExp,
} from './paths.ts';
import type { AuthCheck, ChainStep, PublicDeclaration, Route } from './route.ts';

export interface ComposeOptions {
  /** `auth.publicRoutes` from the configuration. */
  publicRoutes: readonly string[];
}

export interface RouteModel {
  routes: Route[];
  /** The project authenticates somewhere (a recognised middleware, guard or check exists, used or not). */
  hasAuthMechanism: boolean;
}

interface Draft {
  fact: RouteFact;
  method: string;
  path: PathText;
  chain: StepFact[];
  late: StepFact[];
  unmounted?: boolean;
}

interface ActiveUse {
  pattern: PathText;
  kind: PatternKind;
  steps: StepFact[];
}

export function composeRoutes(facts: CodeFacts, options: ComposeOptions): RouteModel {
  const settle = settler(facts);
  const drafts = [
    ...composeContainers(facts),
    ...composeNest(facts),
    ...composeNext(facts),
    ...composeTrpc(facts),
  ];
  const routes = drafts.map((draft) => finish(draft, settle, options));
  routes.sort(
    (a, b) =>
      a.registration.file.localeCompare(b.registration.file) ||
      a.registration.line - b.registration.line ||
      a.method.localeCompare(b.method) ||
      a.path.localeCompare(b.path),
  );
  const hasAuthMechanism =
    facts.mechanisms.length > 0 ||
    [...facts.decorations.values()].some((auth) => auth && settle(auth)) ||
    routes.some((route) => route.auth === 'required' || route.auth === 'weak');
  return { routes: dedupe(routes), hasAuthMechanism };
}

/** The same file analysed in two programs (a monorepo package imported by two apps) yields each route once. */
function dedupe(routes: Route[]): Route[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.framework} ${route.method} ${route.path} ${route.registration.file}:${route.registration.line}:${route.registration.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Evaluates deferred evidence (Fastify decorators) against what every file declared. */
function settler(facts: CodeFacts): (auth: AuthExpr) => AuthCheck | undefined {
  const settle = (auth: AuthExpr, depth: number): AuthCheck | undefined => {
    if (depth > 8) return undefined;
    if ('check' in auth) return auth.check;
    if ('decorated' in auth) {
      const declared = facts.decorations.get(auth.decorated);
      return declared ? settle(declared, depth + 1) : undefined;
    }
    if ('allOf' in auth) {
      const parts = auth.allOf.map((part) => settle(part, depth + 1));
      if (parts.some((part) => !part)) return undefined;
      return {
        ...parts[0]!,
        detail: parts.map((part) => part!.detail).join(' or '),
        role: parts.every((part) => part!.role),
      };
    }
    const parts = auth.anyOf
      .map((part) => settle(part, depth + 1))
      .filter((part): part is AuthCheck => !!part);
    return parts.length === 0 ? undefined : { ...parts[0]!, role: parts.some((part) => part.role) };
  };
  return (auth) => settle(auth, 0);
}

function finish(
  draft: Draft,
  settle: (auth: AuthExpr) => AuthCheck | undefined,
  options: ComposeOptions,
): Route {
  const { fact, method, path } = draft;
  let publicDeclaration: PublicDeclaration | undefined;
  const markerKeys = new Set(
    (fact.markers ?? []).map((marker) => marker.key).filter((key): key is string => !!key),
  );
  const chain: ChainStep[] = draft.chain.map((step) => {
    const auth = step.auth ? settle(step.auth) : undefined;
    const base: ChainStep = {
      kind: step.kind,
      name: step.name,
      file: step.file,
      line: step.line,
      column: step.column,
      ...(step.flow?.rateLimit ? { rateLimit: true as const } : {}),
    };
    if (!auth) return base;
    const hole = step.holes?.find((candidate) => holeCovers(candidate, method, path.text));
    if (hole) {
      publicDeclaration ??= {
        by: 'exempted',
        detail: `${step.name} lets ${hole.pattern} through (${step.file}:${step.line})`,
      };
      return base;
    }
    const honoured = step.honours?.find((key) => markerKeys.has(key));
    if (honoured) {
      const marker = fact.markers!.find((candidate) => candidate.key === honoured)!;
      publicDeclaration ??= { by: 'marker', detail: `${marker.name} is honoured by ${step.name}` };
      return base;
    }
    return { ...base, auth };
  });
  if (fact.handlerCheck?.auth) {
    const auth = settle(fact.handlerCheck.auth);
    if (auth)
      chain.push({
        kind: 'handler-check',
        name: fact.handlerCheck.name,
        file: fact.handlerCheck.file,
        line: fact.handlerCheck.line,
        column: fact.handlerCheck.column,
        auth,
      });
  }
  const strong = chain.some((step) => step.auth && step.kind !== 'edge-middleware');
  const weak = !strong && chain.some((step) => step.auth);
  if (!strong && !weak && !publicDeclaration) {
    const marker = fact.markers?.find(
      (candidate) => PUBLIC_MARKER.test(candidate.name) || PUBLIC_MARKER.test(candidate.key ?? ''),
    );
    if (marker) publicDeclaration = { by: 'marker', detail: marker.name };
  }
  if (!strong && !weak && !publicDeclaration) {
    const entry = options.publicRoutes.find((candidate) => publicRouteMatches(candidate, method, path.text));
    if (entry) publicDeclaration = { by: 'config', detail: `auth.publicRoutes: ${entry}` };
  }
  const late = draft.late
    .map((step) => ({ step, auth: step.auth ? settle(step.auth) : undefined }))
    .filter(({ step, auth }) => auth && !step.holes?.some((hole) => holeCovers(hole, method, path.text)))
    .map(
      ({ step, auth }): ChainStep => ({
        kind: step.kind,
        name: step.name,
        file: step.file,
        line: step.line,
        column: step.column,
        auth: auth!,
      }),
    );
  return {
    framework: fact.framework,
    method,
    path: path.text || '/',
    pathComplete: path.complete,
    registration: fact.registration,
    handler: fact.handler,
    chain,
    auth: strong ? 'required' : weak ? 'weak' : publicDeclaration ? 'public' : 'none',
    ...(publicDeclaration && !strong ? { public: publicDeclaration } : {}),
    ...(late.length > 0 ? { lateAuth: late } : {}),
    ...(draft.unmounted ? { unmounted: true as const } : {}),
    ...(fact.rejectsAll ? { rejectsAll: true as const } : {}),
  };
}

const PUBLIC_MARKER =
  /public|anonymous|skip-?_?auth|no-?_?auth|allow-?_?unauth|unauthenticated|unprotected|is_?public/i;

/* ---------------------------- Express, Koa, Hono, Fastify ---------------------------- */

function childKeys(containers: Map<string, ContainerFact>): Set<string> {
  const children = new Set<string>();
  for (const container of containers.values())
    for (const entry of container.entries)
      if (entry.kind === 'mount' || entry.kind === 'include') children.add(entry.child);
  return children;
}

/** The prefix of a router never seen mounted: unknown, so the paths are marked incomplete. */
const UNKNOWN_PREFIX: PathText = { text: '', complete: false };

function composeContainers(facts: CodeFacts): Draft[] {
  const children = childKeys(facts.containers);
  const drafts: Draft[] = [];
  for (const container of [...facts.containers.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    if (children.has(container.key) || !container.framework) continue;
    const mounted = container.role === 'app';
    const emitted: Draft[] = [];
    if (container.framework === 'fastify')
      walkFastify(facts, container, mounted ? ROOT : UNKNOWN_PREFIX, [], new Set(), emitted);
    else walkOrdered(facts, container, mounted ? ROOT : UNKNOWN_PREFIX, [], emitted, new Set());
    for (const draft of emitted) if (!mounted) draft.unmounted = true;
    drafts.push(...emitted);
  }
  return drafts;
}

function sortedEntries(container: ContainerFact): Entry[] {
  return [...container.entries].sort((a, b) => compareOrder(a.order, b.order));
}

function routeDrafts(
  route: RouteFact,
  base: PathText,
  active: readonly ActiveUse[],
  extra: StepFact[] = [],
): Draft[] {
  const full = joinPaths(base, route.path);
  return route.methods.map((method) => ({
    fact: route,
    method,
    path: full,
    chain: [
      ...extra,
      ...active.filter((use) => patternCovers(use.pattern, use.kind, full.text)).flatMap((use) => use.steps),
      ...route.steps,
    ],
    late: [],
  }));
}

/**
 * Express, Koa and Hono run middleware in registration order: `use` covers the routes registered after it on a
 * matching path, in the same router or (through the mount) in routers mounted later. `include` entries
 * (functions the container is passed to) are spliced in place and share the container's middleware.
 */
function walkOrdered(
  facts: CodeFacts,
  container: ContainerFact,
  prefix: PathText,
  active: ActiveUse[],
  scope: Draft[],
  stack: Set<string>,
): void {
  if (stack.has(container.key) || stack.size > 40) return;
  stack.add(container.key);
  const base = joinPaths(prefix, container.prefix);
  const kind: PatternKind = container.framework === 'hono' ? 'wildcard' : 'prefix';
  for (const entry of sortedEntries(container)) {
    switch (entry.kind) {
      case 'route':
        scope.push(...routeDrafts(entry.route, base, active));
        break;
      case 'use': {
        const use: ActiveUse = { pattern: joinPaths(base, entry.path), kind, steps: entry.steps };
        const authSteps = entry.steps.filter((step) => step.auth);
        if (authSteps.length > 0)
          for (const draft of scope)
            if (patternCovers(use.pattern, kind, draft.path.text)) draft.late.push(...authSteps);
        active.push(use);
        break;
      }
      case 'mount': {
        const child = facts.containers.get(entry.child);
        if (!child) break;
        const childPrefix = joinPaths(base, entry.path);
        const childActive: ActiveUse[] = [...active];
        if (entry.steps.length > 0)
          childActive.push({ pattern: childPrefix, kind: 'prefix', steps: entry.steps });
        const childScope: Draft[] = [];
        walkOrdered(facts, child, childPrefix, childActive, childScope, stack);
        scope.push(...childScope);
        // An Express router's own path-less middleware runs for every request that enters it, also those it
        // does not answer and that reach routes registered after the mount.
        if (container.framework === 'express' && child.framework === 'express')
          for (const leaked of childActive.slice(active.length + (entry.steps.length > 0 ? 1 : 0)))
            if (leaked.pattern.text === childPrefix.text) active.push(leaked);
        break;
      }
      case 'include': {
        const child = facts.containers.get(entry.child);
        if (child) walkOrdered(facts, child, base, active, scope, stack);
        break;
      }
      case 'hook':
        break;
    }
  }
  stack.delete(container.key);
}

/** Hooks of a Fastify context: its own, and those of `fastify-plugin` children (which share the context). */
function contextHooks(facts: CodeFacts, container: ContainerFact, seen: Set<string>): StepFact[] {
  if (seen.has(container.key)) return [];
  seen.add(container.key);
  const hooks: StepFact[] = [];
  for (const entry of sortedEntries(container)) {
    if (entry.kind === 'hook') hooks.push(...entry.steps);
    else if ((entry.kind === 'mount' && !entry.encapsulate) || entry.kind === 'include') {
      const child = facts.containers.get(entry.child);
      if (child) hooks.push(...contextHooks(facts, child, seen));
    }
  }
  return hooks;
}

/**
 * Fastify: hooks apply to every route of their encapsulation context and its descendants, whatever the
 * order; a plugin wrapped in `fastify-plugin` shares its parent's context.
 */
function walkFastify(
  facts: CodeFacts,
  container: ContainerFact,
  prefix: PathText,
  inherited: StepFact[],
  stack: Set<string>,
  scope: Draft[],
): void {
  if (stack.has(container.key) || stack.size > 40) return;
  stack.add(container.key);
  const hooks = [...inherited, ...contextHooks(facts, container, new Set())];
  const base = joinPaths(prefix, container.prefix);
  for (const entry of sortedEntries(container)) {
    if (entry.kind === 'route') scope.push(...routeDrafts(entry.route, base, [], hooks));
    else if (entry.kind === 'mount' || entry.kind === 'include') {
      const child = facts.containers.get(entry.child);
      if (!child) continue;
      const childPrefix = entry.kind === 'mount' ? joinPaths(base, entry.path) : base;
      // A shared-context child sees the same hooks (its own included); an encapsulated one adds its own.
      if (entry.kind === 'include' || !entry.encapsulate)
        walkFastify(
          facts,
          { ...child, entries: child.entries.filter((e) => e.kind !== 'hook') },
          childPrefix,
          hooks,
          stack,
          scope,
        );
      else walkFastify(facts, child, childPrefix, hooks, stack, scope);
    }
  }
  stack.delete(container.key);
}

/* ---------------------------------------- NestJS ---------------------------------------- */

function composeNest(facts: CodeFacts): Draft[] {
  const { nest } = facts;
  const drafts: Draft[] = [];
  for (const controller of nest.controllers) {
    for (const controllerPath of controller.path) {
      for (const route of controller.routes) {
        for (const method of route.methods) {
          const graphql = route.framework === 'nestjs' && controllerPath.text === '/graphql';
          const version = route.versions?.[0] ?? controller.version ?? nest.defaultVersion;
          const local = joinPaths(controllerPath, route.path);
          const excluded = nest.globalPrefix?.exclude.some((pattern) =>
            patternCovers({ text: pattern, complete: true }, 'exact', local.text),
          );
          const path = joinPaths(
            graphql || excluded || !nest.globalPrefix
              ? undefined
              : { text: nest.globalPrefix.path, complete: true },
            !graphql && nest.versioning && version ? { text: `v${version}`, complete: true } : undefined,
            local,
          );
          const middleware = nest.middleware
            .filter((consumer) => appliesTo(consumer, controller, method, path.text, local.text))
            .flatMap((consumer) => consumer.steps);
          drafts.push({
            fact: { ...route, markers: [...controller.markers, ...(route.markers ?? [])] },
            method,
            path,
            chain: [...middleware, ...nest.globalGuards, ...controller.steps, ...route.steps],
            late: [],
          });
        }
      }
    }
  }
  return drafts;
}

function appliesTo(
  consumer: CodeFacts['nest']['middleware'][number],
  controller: NestController,
  method: string,
  path: string,
  local: string,
): boolean {
  const matches = (entry: { path: string; methods?: string[] }) =>
    (!entry.methods || entry.methods.includes(method)) &&
    (patternCovers({ text: entry.path.replace(/\(\.\*\)|\*\w*/g, '*'), complete: true }, 'wildcard', local) ||
      patternCovers({ text: entry.path.replace(/\(\.\*\)|\*\w*/g, '*'), complete: true }, 'wildcard', path));
  if (consumer.exclude.some(matches)) return false;
  return consumer.forRoutes.some((entry) =>
    'controller' in entry ? entry.controller === controller.key : matches(entry),
  );
}

/* ---------------------------------------- Next.js ---------------------------------------- */

/** A matcher (path-to-regexp as Next.js reads it) as a regular expression; undefined when it cannot be read safely. */
export function matcherToRegExp(matcher: string): RegExp | undefined {
  if (matcher.length > 300) return undefined;
  let source = '';
  for (let index = 0; index < matcher.length; index++) {
    const char = matcher[index]!;
    if (char === ':') {
      const name = /^:(\w+)([*+?])?/.exec(matcher.slice(index));
      if (!name) return undefined;
      const modifier = name[2];
      source = source.replace(/\/$/, '');
      source +=
        modifier === '*'
          ? '(?:/[^/]+)*'
          : modifier === '+'
            ? '(?:/[^/]+)+'
            : modifier === '?'
              ? '(?:/[^/]+)?'
              : '/[^/]+';
      index += name[0].length - 1;
    } else if (char === '(') {
      // A custom group: copied as written (Next.js negative lookaheads), checked before use.
      let depth = 0;
      let end = index;
      for (; end < matcher.length; end++) {
        if (matcher[end] === '(') depth++;
        else if (matcher[end] === ')' && --depth === 0) break;
      }
      const group = matcher.slice(index, end + 1);
      if (!safeRegExp(group, '')) return undefined;
      source += group;
      index = end;
    } else source += /[.+*?^${}|[\]\\]/.test(char) ? `\\${char}` : char;
  }
  try {
    return new RegExp(`^${source}/?$`);
  } catch {
    return undefined;
  }
}

function composeNext(facts: CodeFacts): Draft[] {
  const matchers = facts.nextMiddleware.map((middleware) => ({
    middleware,
    patterns: middleware.matchers.map(matcherToRegExp),
  }));
  return facts.nextRoutes.flatMap(({ root, route }) => {
    const concrete = route.path.text.replace(/\[\[?\.\.\.[^\]]+\]\]?/g, 'x/y').replace(/\[[^\]]+\]/g, 'x');
    const edge = matchers
      .filter(
        ({ middleware, patterns }) =>
          middleware.root === root &&
          (patterns.length === 0 || patterns.some((pattern) => !pattern || pattern.test(concrete))),
      )
      .map(({ middleware }) => middleware.step);
    return route.methods.map((method) => ({
      fact: route,
      method,
      path: route.path,
      chain: [...edge, ...route.steps],
      late: [],
    }));
  });
}

/* ----------------------------------------- tRPC ----------------------------------------- */

function composeTrpc(facts: CodeFacts): Draft[] {
  const nested = new Set<string>();
  for (const router of facts.trpcRouters.values()) for (const child of router.children) nested.add(child.key);
  const drafts: Draft[] = [];
  const visit = (router: TrpcRouter, prefix: string, endpoint: PathText, stack: Set<string>) => {
    if (stack.has(router.key) || stack.size > 20) return;
    stack.add(router.key);
    for (const procedure of router.procedures) {
      const route: RouteFact = {
        framework: 'trpc',
        methods: [procedure.kind === 'mutation' ? 'POST' : 'GET'],
        path: { text: `${prefix}${procedure.name}`, complete: true },
        steps: procedure.steps,
        registration: procedure.registration,
        handler: { ...procedure.handler, name: `${prefix}${procedure.name}` },
        ...(procedure.handlerCheck ? { handlerCheck: procedure.handlerCheck } : {}),
      };
      const path = {
        text: `${endpoint.text.replace(/\/$/, '')}/${prefix}${procedure.name}`,
        complete: endpoint.complete,
      };
      drafts.push({ fact: route, method: route.methods[0]!, path, chain: [...procedure.steps], late: [] });
    }
    for (const child of router.children) {
      const inner = facts.trpcRouters.get(child.key);
      if (inner) visit(inner, `${prefix}${child.name}.`, endpoint, stack);
    }
    stack.delete(router.key);
  };
  for (const router of facts.trpcRouters.values()) {
    if (nested.has(router.key)) continue;
    const endpoint = facts.trpcEndpoints.get(router.key);
    visit(
      router,
      '',
      endpoint ? { text: endpoint, complete: true } : { text: '/trpc', complete: false },
      new Set(),
    );
  }
  return drafts;
}
