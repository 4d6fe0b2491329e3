/**
 * tRPC: routers (`t.router({...})`, `createTRPCRouter({...})`), procedures (`x.query(fn)`, `x.mutation(fn)`)
 * and the middleware of the builders they start from (`protectedProcedure = t.procedure.use(isAuthed)`),
 * followed across files. The name `protectedProcedure` proves nothing: its middleware must reject.
 */
import { ts } from 'ts-morph';
import { calleeName, literalText, objectProperty, propertyNameText, unwrap, walk } from '../ast.ts';
import type { ExtractionContext } from '../context.ts';
import type { StepFact, TrpcProcedure, TrpcRouter } from '../facts.ts';
import { Resolver, valueOfDeclaration } from '../resolve.ts';

const PROCEDURE_KINDS = new Set(['query', 'mutation', 'subscription']);
const ROUTER_FACTORY = /^(router|createTRPCRouter|createRouter|createTrpcRouter|mergeRouters)$/;

export class TrpcExtractor {
  readonly #context: ExtractionContext;
  readonly #builderSteps = new Map<ts.Node, StepFact[]>();

  constructor(context: ExtractionContext) {
    this.#context = context;
  }

  extract(sourceFile: ts.SourceFile): void {
    if (!/\.(query|mutation|subscription)\s*\(|trpc/i.test(sourceFile.text)) return;
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const name = calleeName(node.expression);
      if (name && ROUTER_FACTORY.test(name)) this.#router(node);
      this.#endpoint(node);
    });
  }

  #router(call: ts.CallExpression): void {
    const definition = call.arguments[0] && unwrap(call.arguments[0]);
    if (!definition || !ts.isObjectLiteralExpression(definition)) return;
    const router: TrpcRouter = { key: Resolver.key(call), procedures: [], children: [] };
    for (const property of definition.properties) {
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
      const name = propertyNameText(property.name);
      if (!name) continue;
      const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : property.name;
      const procedure = this.#procedure(name, value, property);
      if (procedure) {
        router.procedures.push(procedure);
        continue;
      }
      const child = this.#routerKey(value);
      if (child) router.children.push({ name, key: child });
    }
    if (router.procedures.length > 0 || router.children.length > 0)
      this.#context.facts.trpcRouters.set(router.key, router);
  }

  /** The router call a value denotes: an inline `router({...})` or a name bound to one. */
  #routerKey(value: ts.Expression, depth = 0): string | undefined {
    const target = unwrap(value);
    if (ts.isCallExpression(target) && ROUTER_FACTORY.test(calleeName(target.expression) ?? ''))
      return Resolver.key(target);
    if (depth > 4 || (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target))) return undefined;
    for (const declaration of this.#context.resolver.declarationsOf(target)) {
      const initializer = valueOfDeclaration(declaration);
      if (initializer) {
        const key = this.#routerKey(initializer, depth + 1);
        if (key) return key;
      }
    }
    return undefined;
  }

  #procedure(name: string, value: ts.Expression, property: ts.Node): TrpcProcedure | undefined {
    if (!ts.isCallExpression(value) || !ts.isPropertyAccessExpression(value.expression)) return undefined;
    const kind = value.expression.name.text;
    if (!PROCEDURE_KINDS.has(kind)) return undefined;
    const resolverArgument = value.arguments[0];
    const fn = resolverArgument
      ? this.#context.resolver.functionsOf(resolverArgument).find((f) => !f.getSourceFile().isDeclarationFile)
      : undefined;
    const check = fn ? this.#context.auth.handlerCheck(fn) : undefined;
    if (check) this.#context.noteMechanism({ check });
    this.#context.flow?.trpcProcedure(fn, value.expression.expression);
    const handlerPosition = this.#context.position(fn ?? resolverArgument ?? value);
    return {
      name,
      kind: kind as TrpcProcedure['kind'],
      steps: this.#stepsOfBuilder(value.expression.expression, 0),
      registration: this.#context.range(property),
      handler: handlerPosition,
      ...(check
        ? { handlerCheck: { kind: 'handler-check', name, ...handlerPosition, auth: { check } } }
        : {}),
    };
  }

  /** The middleware chain of a procedure builder, base first: `t.procedure.use(a).input(z).use(b)`. */
  #stepsOfBuilder(builder: ts.Expression, depth: number): StepFact[] {
    const target = unwrap(builder);
    const cached = this.#builderSteps.get(target);
    if (cached) return cached;
    if (depth > 12) return [];
    let steps: StepFact[] = [];
    if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression)) {
      const method = target.expression.name.text;
      const base = this.#stepsOfBuilder(target.expression.expression, depth + 1);
      if (method === 'use' && target.arguments[0]) {
        const middleware = target.arguments[0];
        steps = [
          ...base,
          this.#context.step(
            'procedure-middleware',
            middleware,
            this.#context.auth.classify(middleware, 'middleware'),
          ),
        ];
      } else if ((method === 'concat' || method === 'unstable_concat') && target.arguments[0]) {
        steps = [...base, ...this.#stepsOfBuilder(target.arguments[0], depth + 1)];
      } else steps = base; // .input(), .output(), .meta() and the like keep the chain
    } else if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#context.resolver.declarationsOf(target)) {
        const initializer = valueOfDeclaration(declaration);
        if (initializer && initializer !== target) {
          steps = this.#stepsOfBuilder(initializer, depth + 1);
          break;
        }
      }
    }
    this.#builderSteps.set(target, steps);
    return steps;
  }

  /**
   * Where the root router is served: `fetchRequestHandler({ endpoint: '/api/trpc', router })`, a Next.js
   * `pages/api/trpc/[trpc]` file, `app.use('/trpc', createExpressMiddleware({ router }))`.
   */
  #endpoint(call: ts.CallExpression): void {
    const options = call.arguments.find((argument) => ts.isObjectLiteralExpression(unwrap(argument)));
    const routerValue = options && objectProperty(unwrap(options), 'router');
    if (!routerValue) return;
    const key = this.#routerKey(routerValue);
    if (!key) return;
    let endpoint = literalText(objectProperty(unwrap(options!), 'endpoint'));
    if (!endpoint) {
      const fileName = call.getSourceFile().fileName;
      const match =
        /\/(?:src\/)?(?:pages|app)(\/api\/.*?)\/\[+(?:\.\.\.)?\w+\]+(?:\/route)?\.[cm]?[jt]sx?$/.exec(
          fileName,
        );
      if (match) endpoint = match[1];
    }
    if (!endpoint) {
      // Mounted by Express/Koa/Fastify: `app.use('/trpc', createExpressMiddleware({ router }))`.
      const parent = call.parent;
      if (
        ts.isCallExpression(parent) &&
        ts.isPropertyAccessExpression(parent.expression) &&
        /^(use|register)$/.test(parent.expression.name.text)
      )
        endpoint =
          literalText(parent.arguments[0]) ??
          literalText(objectProperty(unwrap(parent.arguments[1] ?? parent.arguments[0]!), 'prefix'));
    }
    if (endpoint) this.#context.facts.trpcEndpoints.set(key, endpoint);
  }
}
