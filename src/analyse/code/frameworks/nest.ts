/**
 * NestJS: controllers and GraphQL resolvers, `@UseGuards` on classes and methods (also inside decorators
 * composed with `applyDecorators`), global guards (`APP_GUARD`, `useGlobalGuards`), metadata markers
 * (`SetMetadata`, `Reflector.createDecorator`) and the guards that honour them, middleware consumers, the global
 * prefix and URI versioning.
 */
import { ts } from 'ts-morph';
import {
  calleeName,
  decoratorCall,
  decoratorsOf,
  isFunctionLike,
  literalText,
  objectProperty,
  shortText,
  unwrap,
  walk,
} from '../ast.ts';
import { markerKey } from '../auth.ts';
import type { ExtractionContext } from '../context.ts';
import type { NestController, RouteFact, StepFact } from '../facts.ts';
import { onlyRejects } from '../handler-shape.ts';
import type { PathText } from '../paths.ts';
import { returnedExpressions } from '../resolve.ts';

const HTTP_DECORATORS: Record<string, string> = {
  Get: 'GET',
  Post: 'POST',
  Put: 'PUT',
  Patch: 'PATCH',
  Delete: 'DELETE',
  Options: 'OPTIONS',
  Head: 'HEAD',
  All: 'ALL',
  Search: 'SEARCH',
};
/** GraphQL operations are HTTP POSTs to one endpoint; a query reads, a mutation changes state. */
const GRAPHQL_DECORATORS: Record<string, string> = { Query: 'GET', Mutation: 'POST', Subscription: 'GET' };

interface Composition {
  guards: ts.Expression[];
  markers: { key?: string; name: string }[];
}

export class NestExtractor {
  readonly #context: ExtractionContext;
  readonly #compositions = new Map<ts.Node, Composition>();

  constructor(context: ExtractionContext) {
    this.#context = context;
  }

  extract(sourceFile: ts.SourceFile): void {
    if (!sourceFile.text.includes('@nestjs/')) return;
    walk(sourceFile, (node) => {
      if (ts.isClassDeclaration(node)) {
        this.#controller(node);
        return;
      }
      if (ts.isObjectLiteralExpression(node)) this.#appGuardProvider(node);
      else if (ts.isCallExpression(node)) this.#appCall(node);
    });
  }

  #isNest(callee: ts.Expression, module: RegExp = /^@nestjs\//): boolean {
    const binding = this.#context.resolver.importOf(callee);
    return !!binding && module.test(binding.module);
  }

  #controller(node: ts.ClassDeclaration): void {
    let kind: 'http' | 'graphql' | undefined;
    let paths: PathText[] = [{ text: '', complete: true }];
    let version: string | undefined;
    for (const decorator of decoratorsOf(node)) {
      const call = decoratorCall(decorator);
      if (!call || !this.#isNest(call.callee)) continue;
      if (call.name === 'Controller') {
        kind = 'http';
        const argument = call.args[0] && unwrap(call.args[0]);
        const pathValue =
          argument && ts.isObjectLiteralExpression(argument) ? objectProperty(argument, 'path') : argument;
        paths = this.#paths(pathValue);
        const versionValue =
          argument && ts.isObjectLiteralExpression(argument)
            ? objectProperty(argument, 'version')
            : undefined;
        version = versionValue ? this.#context.resolver.stringOf(versionValue)?.text : undefined;
      } else if (call.name === 'Resolver') {
        kind = 'graphql';
        paths = [{ text: '/graphql', complete: true }];
      }
    }
    if (!kind || !node.name) return;
    const classComposition = this.#composition(node);
    const controller: NestController = {
      key: `${node.getSourceFile().fileName}:${node.name.text}`,
      path: paths,
      ...(version ? { version } : {}),
      steps: classComposition.guards.map((guard) => this.#guardStep('guard', guard)),
      markers: classComposition.markers,
      routes: [],
    };
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const route = this.#route(member, kind);
      if (route) controller.routes.push(route);
    }
    if (controller.routes.length > 0) this.#context.facts.nest.controllers.push(controller);
  }

  #paths(expression: ts.Expression | undefined): PathText[] {
    if (!expression) return [{ text: '', complete: true }];
    const target = unwrap(expression);
    if (ts.isArrayLiteralExpression(target))
      return target.elements.flatMap((element) => this.#paths(element as ts.Expression));
    return [
      this.#context.resolver.stringOf(target) ?? { text: `{${shortText(target, 40)}}`, complete: false },
    ];
  }

  #route(
    method: ts.MethodDeclaration,
    kind: 'http' | 'graphql',
  ): (RouteFact & { versions?: string[] }) | undefined {
    let httpMethod: string | undefined;
    let paths: PathText[] = [{ text: '', complete: true }];
    let registration: ts.Decorator | undefined;
    let versions: string[] | undefined;
    for (const decorator of decoratorsOf(method)) {
      const call = decoratorCall(decorator);
      if (!call) continue;
      const table = kind === 'http' ? HTTP_DECORATORS : GRAPHQL_DECORATORS;
      if (table[call.name] && this.#isNest(call.callee)) {
        httpMethod = table[call.name];
        registration = decorator;
        if (kind === 'http') paths = this.#paths(call.args[0]);
        else {
          const name = objectProperty(
            call.args.find((a) => ts.isObjectLiteralExpression(unwrap(a))),
            'name',
          );
          const field =
            (name && literalText(name)) ?? (ts.isIdentifier(method.name) ? method.name.text : 'field');
          paths = [{ text: field, complete: true }];
        }
      } else if (call.name === 'Version' && this.#isNest(call.callee)) {
        const value = call.args[0] && unwrap(call.args[0]);
        versions =
          value && ts.isArrayLiteralExpression(value)
            ? value.elements.map((e) => literalText(e)).filter((v): v is string => !!v)
            : value && literalText(value)
              ? [literalText(value)!]
              : undefined;
      }
    }
    if (!httpMethod || !registration) return undefined;
    this.#context.flow?.nestRoute(method);
    const composition = this.#composition(method);
    const check = this.#context.auth.handlerCheck(method);
    if (check) this.#context.noteMechanism({ check });
    const handlerPosition = this.#context.position(method.name);
    const name = ts.isIdentifier(method.name) ? method.name.text : undefined;
    return {
      framework: 'nestjs',
      methods: [httpMethod],
      path: paths[0]!,
      steps: composition.guards.map((guard) => this.#guardStep('route-middleware', guard)),
      registration: this.#context.range(registration),
      handler: { ...handlerPosition, ...(name ? { name } : {}) },
      ...(check
        ? {
            handlerCheck: {
              kind: 'handler-check',
              name: name ?? 'handler',
              ...handlerPosition,
              auth: { check },
            },
          }
        : {}),
      ...(onlyRejects(method) ? { rejectsAll: true } : {}),
      markers: composition.markers,
      ...(versions ? { versions } : {}),
    };
  }

  #guardStep(kind: StepFact['kind'], guard: ts.Expression): StepFact {
    return this.#context.step(kind, guard, this.#context.auth.classifyGuard(guard));
  }

  /** Guards and metadata markers a class or method carries, through composed decorators. */
  #composition(node: ts.Node): Composition {
    const guards: ts.Expression[] = [];
    const markers: { key?: string; name: string }[] = [];
    for (const decorator of decoratorsOf(node)) {
      const inner = this.#decoratorComposition(decorator.expression, 0);
      guards.push(...inner.guards);
      markers.push(...inner.markers);
    }
    return { guards, markers };
  }

  #decoratorComposition(expression: ts.Expression, depth: number): Composition {
    const target = unwrap(expression);
    const cached = this.#compositions.get(target);
    if (cached) return cached;
    const result: Composition = { guards: [], markers: [] };
    this.#compositions.set(target, result);
    if (depth > 4) return result;
    const callee = ts.isCallExpression(target) ? unwrap(target.expression) : target;
    const name = calleeName(callee) ?? shortText(callee);
    if (ts.isCallExpression(target) && name === 'UseGuards' && this.#isNest(callee)) {
      result.guards.push(...target.arguments);
      return result;
    }
    if (ts.isCallExpression(target) && name === 'SetMetadata' && this.#isNest(callee)) {
      const key = target.arguments[0] && markerKey(this.#context.resolver, target.arguments[0]);
      result.markers.push({ ...(key ? { key } : {}), name: shortText(target) });
      return result;
    }
    if (ts.isCallExpression(target) && name === 'applyDecorators' && this.#isNest(callee)) {
      for (const argument of target.arguments) {
        const inner = this.#decoratorComposition(argument, depth + 1);
        result.guards.push(...inner.guards);
        result.markers.push(...inner.markers);
      }
      return result;
    }
    if (this.#isNest(callee)) return result;
    // `Public = Reflector.createDecorator<boolean>()`: the decorator is its own key.
    for (const declaration of ts.isIdentifier(callee) ? this.#context.resolver.declarationsOf(callee) : []) {
      if (
        ts.isVariableDeclaration(declaration) &&
        declaration.initializer &&
        /createDecorator/.test(declaration.initializer.getText().slice(0, 200))
      ) {
        const key = markerKey(this.#context.resolver, callee);
        result.markers.push({ ...(key ? { key } : {}), name: shortText(target) });
        return result;
      }
    }
    // A project decorator: whatever its factory returns (`SetMetadata(...)`, `applyDecorators(...)`).
    for (const fn of this.#context.resolver.functionsOf(callee)) {
      if (fn.getSourceFile().isDeclarationFile) continue;
      for (const returned of returnedExpressions(fn)) {
        const inner = this.#decoratorComposition(returned, depth + 1);
        result.guards.push(...inner.guards);
        for (const marker of inner.markers) result.markers.push({ ...marker, name: shortText(target) });
      }
    }
    return result;
  }

  /** `{ provide: APP_GUARD, useClass: JwtAuthGuard }` in a module's providers. */
  #appGuardProvider(node: ts.ObjectLiteralExpression): void {
    const provide = objectProperty(node, 'provide');
    if (
      !provide ||
      !ts.isIdentifier(unwrap(provide)) ||
      (unwrap(provide) as ts.Identifier).text !== 'APP_GUARD'
    )
      return;
    const guard = objectProperty(node, 'useClass') ?? objectProperty(node, 'useExisting');
    if (!guard) return;
    this.#context.facts.nest.globalGuards.push(this.#guardStep('global-guard', guard));
  }

  /** main.ts: `useGlobalGuards`, `setGlobalPrefix`, `enableVersioning`; modules: `consumer.apply(...).forRoutes(...)`. */
  #appCall(call: ts.CallExpression): void {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const nest = this.#context.facts.nest;
    switch (callee.name.text) {
      case 'useGlobalGuards':
        for (const argument of call.arguments)
          nest.globalGuards.push(this.#guardStep('global-guard', argument));
        break;
      case 'setGlobalPrefix': {
        const prefix = this.#context.resolver.stringOf(call.arguments[0]);
        if (!prefix?.complete) break;
        const excludeList = objectProperty(call.arguments[1] && unwrap(call.arguments[1]), 'exclude');
        const exclude =
          excludeList && ts.isArrayLiteralExpression(unwrap(excludeList))
            ? (unwrap(excludeList) as ts.ArrayLiteralExpression).elements
                .map((e) => literalText(e) ?? literalText(objectProperty(unwrap(e as ts.Expression), 'path')))
                .filter((p): p is string => !!p)
            : [];
        nest.globalPrefix = { path: prefix.text, exclude };
        break;
      }
      case 'enableVersioning': {
        const options = call.arguments[0] && unwrap(call.arguments[0]);
        const type = objectProperty(options, 'type');
        if (type && !/URI/.test(type.getText())) break;
        nest.versioning = true;
        const defaultVersion = objectProperty(options, 'defaultVersion');
        const version = defaultVersion && this.#context.resolver.stringOf(defaultVersion);
        if (version?.complete) nest.defaultVersion = version.text;
        break;
      }
      case 'forRoutes':
        this.#middlewareConsumer(call);
        break;
    }
  }

  /** `consumer.apply(AuthMiddleware).exclude({ path: 'health', method: RequestMethod.GET }).forRoutes('*')`. */
  #middlewareConsumer(forRoutes: ts.CallExpression): void {
    let current: ts.Expression = unwrap((forRoutes.expression as ts.PropertyAccessExpression).expression);
    const exclude: { path: string; methods?: string[] }[] = [];
    let applied: readonly ts.Expression[] | undefined;
    while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'exclude') exclude.push(...current.arguments.flatMap((a) => this.#routeInfo(a)));
      if (name === 'apply') {
        applied = current.arguments;
        break;
      }
      current = unwrap(current.expression.expression);
    }
    if (!applied) return;
    const routes = forRoutes.arguments.flatMap(
      (argument): ({ path: string; methods?: string[] } | { controller: string })[] => {
        const target = unwrap(argument);
        if (ts.isIdentifier(target)) {
          const declaration = this.#context.resolver.declarationsOf(target).find(ts.isClassDeclaration);
          if (declaration?.name)
            return [{ controller: `${declaration.getSourceFile().fileName}:${declaration.name.text}` }];
        }
        return this.#routeInfo(argument);
      },
    );
    const steps = applied.map((middleware) => {
      const classDeclaration = ts.isIdentifier(unwrap(middleware))
        ? this.#context.resolver.declarationsOf(unwrap(middleware)).find(ts.isClassDeclaration)
        : undefined;
      const use = classDeclaration?.members.find(
        (m): m is ts.MethodDeclaration =>
          ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'use',
      );
      const verdict =
        use && isFunctionLike(use)
          ? this.#context.auth.classify(use as unknown as ts.Expression)
          : this.#context.auth.classify(middleware);
      return this.#context.step('global-guard', middleware, verdict);
    });
    this.#context.facts.nest.middleware.push({ steps, forRoutes: routes, exclude });
  }

  #routeInfo(argument: ts.Expression): { path: string; methods?: string[] }[] {
    const target = unwrap(argument);
    const text = literalText(target);
    if (text !== undefined) return [{ path: text }];
    if (ts.isObjectLiteralExpression(target)) {
      const path = literalText(objectProperty(target, 'path'));
      const method = objectProperty(target, 'method');
      const methodName =
        method && ts.isPropertyAccessExpression(unwrap(method))
          ? (unwrap(method) as ts.PropertyAccessExpression).name.text
          : undefined;
      if (path !== undefined)
        return [{ path, ...(methodName && methodName !== 'ALL' ? { methods: [methodName] } : {}) }];
    }
    return [];
  }
}
