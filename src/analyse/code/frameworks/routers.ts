/**
 * Express 4/5, Koa (+ @koa/router, koa-router, koa-mount), Hono and Fastify: frameworks where routes and
 * middleware are registered by calls on app/router objects. Each object becomes a container with its
 * registrations in order; mounts, plugins and functions that receive the object link containers across files.
 */
import { dirname, join, parse as parsePath, relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import {
  calleeName,
  isFunctionLike,
  literalText,
  objectProperty,
  propertyNameText,
  shortText,
  unwrap,
  walk,
} from '../ast.ts';
import { AUTH_HOOK_PLUGINS } from '../auth-libraries.ts';
import type { ExtractionContext } from '../context.ts';
import type { ContainerFact, ContainerFramework, StepFact } from '../facts.ts';
import { RATE_LIMIT_MODULES } from '../flow/rate-limit.ts';
import { onlyRejects } from '../handler-shape.ts';
import { joinPaths, type PathText } from '../paths.ts';
import { Resolver, returnedExpressions, valueOfDeclaration } from '../resolve.ts';
import { listFolder } from '../sandbox-fs.ts';

const HTTP_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'options',
  'head',
  'all',
  'search',
]);
const FASTIFY_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);
/** Calls on a container that return the same container (so `app.use(a).use(b)` and Hono chains work). */
const CHAINABLE = new Set([...HTTP_METHODS, 'use', 'on', 'register', 'addHook', 'decorate', 'route', 'all']);
const CREATION_NAME =
  /^(express|Router|fastify|Fastify|Koa|Hono|OpenAPIHono|KoaRouter|createRouter|createApp|app|server)$/;

interface Creation {
  framework: ContainerFramework;
  role: 'app' | 'router';
  prefix?: PathText;
}

export class RouterExtractor {
  readonly #context: ExtractionContext;
  readonly #containerOf = new Map<ts.Node, string | null>();

  constructor(context: ExtractionContext) {
    this.#context = context;
  }

  get #facts() {
    return this.#context.facts;
  }

  get #resolver() {
    return this.#context.resolver;
  }

  extract(sourceFile: ts.SourceFile): void {
    const registrations: ts.CallExpression[] = [];
    const others: ts.CallExpression[] = [];
    walk(sourceFile, (node) => {
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && isRegistrationCandidate(callee.name.text, node))
        registrations.push(node);
      else if (node.arguments.length > 0) others.push(node);
    });
    const receiverNames = new Set<string>();
    for (const call of registrations) {
      if (this.#registration(call)) {
        const receiver = rootName((call.expression as ts.PropertyAccessExpression).expression);
        if (receiver) receiverNames.add(receiver);
      }
    }
    walk(sourceFile, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const init = unwrap(node.initializer);
        if (
          (ts.isCallExpression(init) || ts.isNewExpression(init)) &&
          CREATION_NAME.test(calleeName(init.expression) ?? '')
        )
          receiverNames.add(node.name.text);
      }
    });
    if (receiverNames.size === 0) return;
    for (const call of others) this.#include(call, receiverNames);
  }

  /** Handles one `x.method(...)` call; true when `x` is a container. */
  #registration(call: ts.CallExpression): boolean {
    const callee = call.expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    // `app.route('/users').get(h).post(h2)` (Express): a route object, not the app.
    const routeChain = expressRouteChain(callee.expression);
    if (routeChain && HTTP_METHODS.has(method)) return this.#routeChainMethod(call, method, routeChain);
    const key = this.containerOf(callee.expression);
    if (!key) return false;
    const container = this.#facts.containers.get(key)!;
    switch (method) {
      case 'use':
        this.#use(container, call);
        break;
      case 'register':
        if (container.framework === 'koa') this.#koaRegister(container, call);
        else this.#fastifyRegister(container, call);
        break;
      case 'addHook':
        this.#addHook(container, call);
        break;
      case 'decorate':
        this.#decorate(call);
        break;
      case 'route':
        if (
          container.framework === 'hono' ||
          (call.arguments.length === 2 && !ts.isObjectLiteralExpression(unwrap(call.arguments[0]!)))
        )
          this.#honoRoute(container, call);
        else this.#fastifyRoute(container, call);
        break;
      case 'on':
        this.#honoOn(container, call);
        break;
      case 'prefix': {
        const prefix = this.#resolver.stringOf(call.arguments[0]);
        if (prefix) container.prefix = prefix;
        break;
      }
      default:
        if (HTTP_METHODS.has(method))
          this.#route(container, call, method === 'del' ? 'DELETE' : method.toUpperCase());
    }
    return true;
  }

  /**
   * The container an expression denotes (memoised): a creation (`express()`, `new Router()`, `Fastify()`,
   * `new Hono()`), a variable or import bound to one, a factory's return value, a chained call, a parameter
   * of a function that registers routes, `router.routes()`, `require('./router')`.
   */
  containerOf(expression: ts.Expression, depth = 0): string | undefined {
    const target = unwrap(expression);
    const cached = this.#containerOf.get(target);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > 8) return undefined;
    this.#containerOf.set(target, null);
    const key = this.#findContainer(target, depth);
    this.#containerOf.set(target, key ?? null);
    return key;
  }

  #findContainer(target: ts.Expression, depth: number): string | undefined {
    if (ts.isCallExpression(target) || ts.isNewExpression(target)) {
      const creation = this.#creation(target);
      if (creation) return this.#ensure(Resolver.key(target), creation);
      const callee = unwrap(target.expression);
      if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        if (method === 'basePath') return this.#basePath(target, callee, depth);
        if (CHAINABLE.has(method) || method === 'routes' || method === 'middleware' || method === 'prefix')
          return this.containerOf(callee.expression, depth + 1);
      }
      if (ts.isCallExpression(target)) {
        const module = this.#requiredModuleExport(target);
        if (module) return this.containerOf(module, depth + 1);
        for (const factory of this.#resolver.functionsOf(target.expression)) {
          if (factory.getSourceFile().isDeclarationFile) continue;
          for (const returned of returnedExpressions(factory)) {
            const key = this.containerOf(returned, depth + 1);
            if (key) return key;
          }
        }
      }
      return undefined;
    }
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        if (ts.isParameter(declaration)) return this.#parameter(declaration);
        const value = valueOfDeclaration(declaration) ?? this.#assignedInConstructor(declaration);
        if (value && value !== target) {
          const key = this.containerOf(value, depth + 1);
          if (key) return key;
        }
      }
    }
    return undefined;
  }

  /** `this.app = express()` in a constructor, for a property declared without an initialiser. */
  #assignedInConstructor(declaration: ts.Node): ts.Expression | undefined {
    if (!ts.isPropertyDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return undefined;
    const name = propertyNameText(declaration.name);
    let value: ts.Expression | undefined;
    for (const member of declaration.parent.members) {
      if (!ts.isConstructorDeclaration(member) || !member.body) continue;
      walk(member.body, (node) => {
        if (
          ts.isBinaryExpression(node) &&
          node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isPropertyAccessExpression(node.left) &&
          node.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
          node.left.name.text === name
        )
          value = node.right;
      });
    }
    return value;
  }

  /** `require('./routes')` and `import('./plugin')`: the module's default or `module.exports` value. */
  #requiredModuleExport(call: ts.CallExpression): ts.Expression | undefined {
    const isRequire = ts.isIdentifier(call.expression) && call.expression.text === 'require';
    if (!isRequire && call.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
    const specifier = call.arguments[0];
    if (!specifier || literalText(specifier) === undefined) return undefined;
    let symbol: ts.Symbol | undefined;
    try {
      symbol =
        this.#resolver.checker.getSymbolAtLocation(specifier) ??
        this.#relativeModule(call.getSourceFile(), literalText(specifier)!);
    } catch {
      return undefined;
    }
    const exports = symbol?.exports;
    const exported = exports?.get('export=' as ts.__String) ?? exports?.get('default' as ts.__String);
    const declaration = exported?.declarations?.[0];
    if (!declaration) return undefined;
    const value = valueOfDeclaration(
      declaration.kind === ts.SyntaxKind.PropertyAccessExpression ? declaration.parent : declaration,
    );
    return value ?? (isFunctionLike(declaration) ? (declaration as unknown as ts.Expression) : undefined);
  }

  /** `require('./routes')` in a TypeScript file is a plain call to the checker: resolved by path instead. */
  #relativeModule(from: ts.SourceFile, specifier: string): ts.Symbol | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = join(dirname(from.fileName), specifier).split(sep).join('/');
    for (const suffix of ['', '.ts', '.tsx', '.js', '.cjs', '.mjs', '/index.ts', '/index.js']) {
      const sourceFile = this.#context.program.getSourceFile(base + suffix);
      // The binder's module symbol (not exposed in the public typings) holds `export=` and `default`.
      if (sourceFile) return (sourceFile as unknown as { symbol?: ts.Symbol }).symbol;
    }
    return undefined;
  }

  #creation(expression: ts.CallExpression | ts.NewExpression): Creation | undefined {
    const callee = unwrap(expression.expression);
    const name = calleeName(callee);
    if (
      !name ||
      (!/^(express|Router|router|fastify|Fastify|default|Koa|Hono|OpenAPIHono|KoaRouter|createRouter)$/i.test(
        name,
      ) &&
        !ts.isIdentifier(callee))
    )
      return undefined;
    const binding = this.#resolver.importOf(callee);
    if (!binding) return undefined;
    const { module, name: imported } = binding;
    const options = expression.arguments?.[0] && unwrap(expression.arguments[0]);
    if (module === 'express') {
      if (imported === 'Router' || imported === 'default.Router')
        return { framework: 'express', role: 'router' };
      if (imported === 'default' || imported === '*') return { framework: 'express', role: 'app' };
      return undefined;
    }
    if (module === 'fastify')
      return imported === 'default' || imported === '*' || imported === 'fastify'
        ? { framework: 'fastify', role: 'app' }
        : undefined;
    if (module === 'koa')
      return imported === 'default' || imported === '*' ? { framework: 'koa', role: 'app' } : undefined;
    if (module === '@koa/router' || module === 'koa-router') {
      const prefix = this.#resolver.stringOf(objectProperty(options, 'prefix'));
      return { framework: 'koa', role: 'router', ...(prefix ? { prefix } : {}) };
    }
    if (/^hono(\/(tiny|quick))?$/.test(module) && imported === 'Hono')
      return { framework: 'hono', role: 'app' };
    if (module === '@hono/zod-openapi' && imported === 'OpenAPIHono')
      return { framework: 'hono', role: 'app' };
    return undefined;
  }

  #ensure(key: string, creation: Creation): string {
    const existing = this.#facts.containers.get(key);
    if (!existing) {
      this.#facts.containers.set(key, {
        key,
        framework: creation.framework,
        role: creation.role,
        entries: [],
        ...(creation.prefix ? { prefix: creation.prefix } : {}),
      });
    } else if (!existing.framework) existing.framework = creation.framework;
    return key;
  }

  /**
   * Hono `basePath('/api')`: on a fresh `new Hono()` it is the application with a prefix; on an existing app
   * it is a view of the same app whose registrations carry the prefix (and share its middleware).
   */
  #basePath(call: ts.CallExpression, callee: ts.PropertyAccessExpression, depth: number): string | undefined {
    const key = Resolver.key(call);
    if (this.#facts.containers.has(key)) return key;
    const prefix = this.#resolver.stringOf(call.arguments[0]) ?? {
      text: `{${shortText(call.arguments[0] ?? call)}}`,
      complete: false,
    };
    const receiver = unwrap(callee.expression);
    if ((ts.isNewExpression(receiver) || ts.isCallExpression(receiver)) && this.#creation(receiver)) {
      this.#facts.containers.set(key, { key, framework: 'hono', role: 'app', prefix, entries: [] });
      return key;
    }
    const parent = this.containerOf(callee.expression, depth + 1);
    if (!parent) return undefined;
    this.#facts.containers.set(key, { key, framework: 'hono', role: 'router', prefix, entries: [] });
    this.#facts.containers
      .get(parent)!
      .entries.push({ kind: 'include', order: this.#context.order(call), child: key });
    return key;
  }

  /** A parameter used as a router (`export default function (router: Router) { router.get(...) }`). */
  #parameter(parameter: ts.ParameterDeclaration): string | undefined {
    if (!ts.isIdentifier(parameter.name)) return undefined;
    const key = Resolver.key(parameter);
    if (!this.#facts.containers.has(key)) {
      const typeText = parameter.type?.getText() ?? '';
      // `Router` alone is Express's or koa-router's: the file's imports decide.
      const framework: ContainerFramework | undefined = /Fastify/.test(typeText)
        ? 'fastify'
        : /Hono/.test(typeText)
          ? 'hono'
          : /Koa/.test(typeText)
            ? 'koa'
            : /\b(Express|Application|IRouter)\b/.test(typeText)
              ? 'express'
              : /\bRouter\b/.test(typeText)
                ? this.#guessFramework(parameter)
                : undefined;
      // A parameter typed as the application (`app: Koa`, `app: Express`) is the root whoever passes it;
      // a router or Fastify instance parameter is mounted by a caller apiguard may not see.
      const application = /\b(Koa|Express|Application|Hono)\b/.test(typeText) && !/Router/.test(typeText);
      this.#facts.containers.set(key, {
        key,
        role: application ? 'app' : 'param',
        entries: [],
        ...(framework ? { framework, typed: true } : {}),
      });
    }
    return key;
  }

  /** `registerRoutes(app)`, `setup(router, deps)`: the callee registers on the container passed in. */
  #include(call: ts.CallExpression, receiverNames: ReadonlySet<string>): void {
    const callee = unwrap(call.expression);
    if (ts.isPropertyAccessExpression(callee) && isRegistrationCandidate(callee.name.text, call)) return;
    call.arguments.forEach((argument, index) => {
      const target = unwrap(argument);
      if (!ts.isIdentifier(target) || !receiverNames.has(target.text)) return;
      const key = this.containerOf(target);
      if (!key) return;
      for (const fn of this.#resolver.functionsOf(callee)) {
        const parameter = fn.parameters[index];
        if (!parameter || fn.getSourceFile().isDeclarationFile || !ts.isIdentifier(parameter.name)) continue;
        const child = this.#parameter(parameter);
        if (child && child !== key)
          this.#facts.containers
            .get(key)!
            .entries.push({ kind: 'include', order: this.#context.order(call), child });
      }
    });
  }

  #stepsOf(expressions: readonly ts.Expression[], kind: StepFact['kind']): StepFact[] {
    return expressions.flatMap((expression) => {
      const target = unwrap(expression);
      if (ts.isArrayLiteralExpression(target))
        return this.#stepsOf(target.elements as readonly ts.Expression[], kind);
      if (ts.isSpreadElement(target)) return this.#stepsOf([target.expression], kind);
      return [this.#context.step(kind, target, this.#context.auth.classify(target))];
    });
  }

  #pathOf(expression: ts.Expression | undefined): PathText[] {
    if (!expression) return [];
    const target = unwrap(expression);
    if (ts.isArrayLiteralExpression(target))
      return target.elements.flatMap((element) => this.#pathOf(element as ts.Expression));
    if (ts.isRegularExpressionLiteral(target)) return [{ text: `{${target.text}}`, complete: false }];
    return [this.#resolver.stringOf(target) ?? { text: `{${shortText(target, 40)}}`, complete: false }];
  }

  #isPathArgument(expression: ts.Expression | undefined): boolean {
    if (!expression) return false;
    const target = unwrap(expression);
    if (
      ts.isStringLiteral(target) ||
      ts.isNoSubstitutionTemplateLiteral(target) ||
      ts.isTemplateExpression(target) ||
      ts.isRegularExpressionLiteral(target)
    )
      return true;
    if (ts.isArrayLiteralExpression(target))
      return (
        target.elements.length > 0 && target.elements.every((e) => this.#isPathArgument(e as ts.Expression))
      );
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) || ts.isBinaryExpression(target))
      return this.#resolver.stringOf(target) !== undefined;
    return false;
  }

  #handlerOf(expression: ts.Expression): {
    fn?: ts.FunctionLikeDeclaration;
    position: StepFact;
    name?: string;
  } {
    const target = unwrap(expression);
    let fn = this.#resolver
      .functionsOf(target)
      .find((candidate) => !candidate.getSourceFile().isDeclarationFile);
    if (!fn && ts.isCallExpression(target)) {
      // `asyncHandler(async (req, res) => …)`: the wrapped function is the handler.
      for (const argument of target.arguments) {
        fn = this.#resolver
          .functionsOf(argument)
          .find((candidate) => !candidate.getSourceFile().isDeclarationFile);
        if (fn) break;
      }
    }
    const named =
      ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) ? shortText(target) : undefined;
    const at = fn ?? target;
    return {
      ...(fn ? { fn } : {}),
      position: { kind: 'handler-check', name: named ?? 'handler', ...this.#context.position(at) },
      ...(named
        ? { name: named }
        : fn && ts.isFunctionDeclaration(fn) && fn.name
          ? { name: fn.name.text }
          : {}),
    };
  }

  #pushRoute(
    container: ContainerFact,
    call: ts.Node,
    methods: string[],
    paths: PathText[],
    steps: StepFact[],
    handlerExpression: ts.Expression,
    framework: ContainerFramework,
    /** Fastify route options (`schema`, `config`). */
    options?: ts.Expression,
  ): void {
    const handler = this.#handlerOf(handlerExpression);
    this.#context.flow?.routeHandler({
      ...(handler.fn ? { fn: handler.fn } : {}),
      expression: handlerExpression,
      framework,
      steps: steps.map((step) => step.flow ?? {}),
      ...(options ? { options } : {}),
    });
    const check = handler.fn ? this.#context.auth.handlerCheck(handler.fn) : undefined;
    if (check) this.#context.noteMechanism({ check });
    const registration = this.#context.range(call);
    for (const path of paths.length > 0 ? paths : [{ text: '/', complete: true }]) {
      container.entries.push({
        kind: 'route',
        order: this.#context.order(call),
        route: {
          framework,
          methods,
          path,
          steps,
          registration,
          handler: {
            file: handler.position.file,
            line: handler.position.line,
            column: handler.position.column,
            ...(handler.name ? { name: handler.name } : {}),
          },
          ...(check
            ? { handlerCheck: { ...handler.position, name: handler.name ?? 'handler', auth: { check } } }
            : {}),
          ...(handler.fn && onlyRejects(handler.fn) ? { rejectsAll: true } : {}),
        },
      });
    }
  }

  /** `app.get(path, ...middleware, handler)`, Koa's optional route name, Fastify's options object. */
  #route(container: ContainerFact, call: ts.CallExpression, method: string): void {
    let args = [...call.arguments];
    if (
      container.framework === 'koa' &&
      args.length >= 3 &&
      literalText(args[0]) !== undefined &&
      this.#isPathArgument(args[1]) &&
      !literalText(args[0])!.startsWith('/')
    )
      args = args.slice(1); // router.get('name', '/path', handler)
    args = this.#spreadArguments(args);
    if (args.length < 2 || !this.#isPathArgument(args[0])) return;
    const framework = container.framework ?? this.#guessFramework(call);
    if (!framework) return;
    container.framework ??= framework;
    const paths = this.#pathOf(args[0]);
    if (framework === 'fastify') {
      const options = args.length >= 3 ? unwrap(args[1]!) : undefined;
      const handler = args.length >= 3 ? args[2]! : unwrap(args[1]!);
      if (ts.isObjectLiteralExpression(handler)) {
        const inner = objectProperty(handler, 'handler');
        if (inner)
          this.#pushRoute(
            container,
            call,
            [method],
            paths,
            this.#fastifyRouteHooks(handler),
            inner,
            framework,
            handler,
          );
        return;
      }
      this.#pushRoute(
        container,
        call,
        [method],
        paths,
        options ? this.#fastifyRouteHooks(options) : [],
        handler,
        framework,
        options,
      );
      return;
    }
    const middleware = args.slice(1, -1);
    this.#pushRoute(
      container,
      call,
      [method],
      paths,
      this.#stepsOf(middleware, 'route-middleware'),
      args[args.length - 1]!,
      framework,
    );
  }

  /** `...factory.createHandlers(validator, handler)` (hono/factory) or `...[auth, handler]`: what the spread passes. */
  #spreadArguments(args: readonly ts.Expression[]): ts.Expression[] {
    return args.flatMap((argument): ts.Expression[] => {
      if (!ts.isSpreadElement(argument)) return [argument];
      let target = unwrap(argument.expression);
      if (ts.isIdentifier(target)) target = unwrap(this.#resolver.valuesOf(target)[0] ?? target);
      if (ts.isArrayLiteralExpression(target) && !target.elements.some(ts.isSpreadElement))
        return [...target.elements];
      if (
        ts.isCallExpression(target) &&
        ts.isPropertyAccessExpression(target.expression) &&
        target.expression.name.text === 'createHandlers' &&
        !target.arguments.some(ts.isSpreadElement)
      )
        return [...target.arguments];
      return [argument];
    });
  }

  #guessFramework(call: ts.Node): ContainerFramework | undefined {
    const text = call.getSourceFile().text;
    if (/from ['"]fastify['"]|require\(['"]fastify['"]\)|FastifyInstance/.test(text)) return 'fastify';
    if (/from ['"]hono['"]/.test(text)) return 'hono';
    if (/['"](@koa\/router|koa-router|koa)['"]/.test(text)) return 'koa';
    if (/['"]express['"]/.test(text)) return 'express';
    return undefined;
  }

  /** Express `app.route('/x').all(mw).get(h)`. */
  #routeChainMethod(
    call: ts.CallExpression,
    method: string,
    chain: { routeCall: ts.CallExpression; alls: ts.Expression[] },
  ): boolean {
    const owner = unwrap((chain.routeCall.expression as ts.PropertyAccessExpression).expression);
    const key = this.containerOf(owner);
    if (!key) return false;
    // `.all(mw)` before the verbs guards them: recorded as middleware of each following verb.
    if (method === 'all' && isMiddlewareShaped(call.arguments[call.arguments.length - 1]!)) return true;
    const container = this.#facts.containers.get(key)!;
    const framework = container.framework ?? 'express';
    const steps = [
      ...this.#stepsOf(chain.alls, 'route-middleware'),
      ...this.#stepsOf(call.arguments.slice(0, -1), 'route-middleware'),
    ];
    const handler = call.arguments[call.arguments.length - 1];
    if (!handler) return true;
    this.#pushRoute(
      container,
      call,
      [method.toUpperCase()],
      this.#pathOf(chain.routeCall.arguments[0]),
      steps,
      handler,
      framework,
    );
    return true;
  }

  /**
   * `use([path], ...middleware | routers)`. Middleware listed before a router runs for everything under the
   * path, so it is recorded as `use` (covering later registrations too) with the mount-site kind.
   */
  #use(container: ContainerFact, call: ts.CallExpression): void {
    let args = [...call.arguments];
    let path: PathText | undefined;
    if (args.length >= 2 || (args.length === 1 && !this.#mountTarget(args[0]!))) {
      if (this.#isPathArgument(args[0])) {
        const paths = this.#pathOf(args[0]);
        path = paths.length === 1 ? paths[0] : { text: `{${shortText(args[0]!, 40)}}`, complete: false };
        args = args.slice(1);
      }
    }
    const order = this.#context.order(call);
    const mounts = args.map((argument) => this.#mountTarget(argument));
    const stepKind = mounts.some(Boolean) ? 'mount-middleware' : 'use';
    let pending: ts.Expression[] = [];
    const flush = () => {
      if (pending.length > 0)
        container.entries.push({
          kind: 'use',
          order,
          ...(path ? { path } : {}),
          steps: this.#stepsOf(pending, stepKind),
        });
      pending = [];
    };
    args.forEach((argument, index) => {
      const mounted = mounts[index];
      if (!mounted) {
        if (!isUnresolvedRouter(argument)) pending.push(argument);
        return;
      }
      flush();
      container.entries.push({
        kind: 'mount',
        order,
        path: joinPaths(path, mounted.path),
        steps: [],
        child: mounted.key,
        encapsulate: true,
      });
    });
    flush();
  }

  /** A router or sub-app given to `use`: `router`, `router.routes()`, `mount('/p', app)` (koa-mount). */
  #mountTarget(argument: ts.Expression): { key: string; path?: PathText } | undefined {
    const target = unwrap(argument);
    if (ts.isCallExpression(target)) {
      const binding = this.#resolver.importOf(unwrap(target.expression));
      if (binding?.module === 'koa-mount') {
        const [first, second] = target.arguments;
        const path = second ? this.#resolver.stringOf(first) : undefined;
        const key = this.containerOf((second ?? first)!);
        return key ? { key, ...(path ? { path } : {}) } : undefined;
      }
      const callee = unwrap(target.expression);
      if (
        ts.isPropertyAccessExpression(callee) &&
        (callee.name.text === 'allowedMethods' || callee.name.text === 'callback')
      )
        return undefined;
    }
    const key = this.containerOf(target);
    return key ? { key } : undefined;
  }

  /** Hono `app.route('/api', sub)`. */
  #honoRoute(container: ContainerFact, call: ts.CallExpression): void {
    const [pathArgument, child] = call.arguments;
    if (!child) return;
    const key = this.containerOf(child);
    if (!key) return;
    container.entries.push({
      kind: 'mount',
      order: this.#context.order(call),
      path: this.#pathOf(pathArgument)[0] ?? { text: '', complete: true },
      steps: [],
      child: key,
      encapsulate: true,
    });
  }

  /** Hono `app.on('POST', '/x', h)` / `app.on(['GET', 'POST'], ['/a', '/b'], h)`. */
  #honoOn(container: ContainerFact, call: ts.CallExpression): void {
    const [methodArgument, pathArgument, ...rest] = call.arguments;
    if (!methodArgument || !pathArgument || rest.length === 0) return;
    const list = unwrap(methodArgument);
    const methods = (ts.isArrayLiteralExpression(list) ? list.elements : [list])
      .map((m) => literalText(m)?.toUpperCase())
      .filter((m): m is string => !!m);
    if (methods.length === 0) return;
    this.#pushRoute(
      container,
      call,
      methods,
      this.#pathOf(pathArgument),
      this.#stepsOf(rest.slice(0, -1), 'route-middleware'),
      rest[rest.length - 1]!,
      'hono',
    );
  }

  /** Koa-router `router.register(path, methods, middleware)`. */
  #koaRegister(container: ContainerFact, call: ts.CallExpression): void {
    const [pathArgument, methodArgument, handler] = call.arguments;
    if (!pathArgument || !methodArgument || !handler) return;
    const list = unwrap(methodArgument);
    const methods = (ts.isArrayLiteralExpression(list) ? list.elements : [list])
      .map((m) => literalText(m)?.toUpperCase())
      .filter((m): m is string => !!m);
    const chain = unwrap(handler);
    const middleware = ts.isArrayLiteralExpression(chain)
      ? (chain.elements as readonly ts.Expression[])
      : [chain];
    if (middleware.length === 0) return;
    this.#pushRoute(
      container,
      call,
      methods,
      this.#pathOf(pathArgument),
      this.#stepsOf(middleware.slice(0, -1), 'route-middleware'),
      middleware[middleware.length - 1]!,
      'koa',
    );
  }

  #fastifyRouteHooks(options: ts.Expression): StepFact[] {
    const object = unwrap(options);
    if (!ts.isObjectLiteralExpression(object)) return [];
    const steps: StepFact[] = [];
    for (const hook of FASTIFY_HOOKS) {
      const value = objectProperty(object, hook);
      if (value) steps.push(...this.#stepsOf([value], 'hook'));
    }
    // `config: { rateLimit: { max: 5 } }` opts the route into @fastify/rate-limit registered with `global: false`.
    const config = objectProperty(object, 'config');
    const target = config && unwrap(config);
    const setting =
      target && ts.isObjectLiteralExpression(target)
        ? target.properties.find(
            (property): property is ts.PropertyAssignment =>
              ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'rateLimit',
          )
        : undefined;
    // The key stands for the limiter: its name is what marks the step as rate limiting.
    if (
      setting &&
      ts.isIdentifier(setting.name) &&
      unwrap(setting.initializer).kind !== ts.SyntaxKind.FalseKeyword
    )
      steps.push(this.#context.step('hook', setting.name, {}));
    return steps;
  }

  /** Fastify `route({ method, url, handler, preHandler })`. */
  #fastifyRoute(container: ContainerFact, call: ts.CallExpression): void {
    const options = call.arguments[0] && unwrap(call.arguments[0]);
    if (!options || !ts.isObjectLiteralExpression(options)) return;
    const handler = objectProperty(options, 'handler');
    const methodValue = objectProperty(options, 'method');
    if (!handler || !methodValue) return;
    const list = unwrap(methodValue);
    const methods = (ts.isArrayLiteralExpression(list) ? list.elements : [list])
      .map((m) => this.#resolver.stringOf(m as ts.Expression)?.text.toUpperCase())
      .filter((m): m is string => !!m);
    container.framework ??= 'fastify';
    this.#pushRoute(
      container,
      call,
      methods,
      this.#pathOf(objectProperty(options, 'url') ?? objectProperty(options, 'path')),
      this.#fastifyRouteHooks(options),
      handler,
      'fastify',
      options,
    );
  }

  #addHook(container: ContainerFact, call: ts.CallExpression): void {
    const [name, fn] = call.arguments;
    const hook = literalText(name);
    if (!hook || !fn || !FASTIFY_HOOKS.has(hook)) return;
    container.framework ??= 'fastify';
    container.entries.push({
      kind: 'hook',
      order: this.#context.order(call),
      steps: this.#stepsOf([fn], 'hook'),
    });
  }

  /** `fastify.decorate('authenticate', fn)`: routes name it later as `fastify.authenticate`. */
  #decorate(call: ts.CallExpression): void {
    const [name, value] = call.arguments;
    const decorator = literalText(name);
    if (!decorator || !value || this.#resolver.functionsOf(value).length === 0) return;
    const verdict = this.#context.auth.classify(value, 'middleware');
    if (verdict.auth) this.#context.noteMechanism(verdict.auth);
    const known = this.#facts.decorations.get(decorator);
    if (!known) this.#facts.decorations.set(decorator, verdict.auth ?? null);
  }

  /** `fastify.register(plugin, { prefix })`: an encapsulated child context, or the same context for `fastify-plugin`. */
  #fastifyRegister(container: ContainerFact, call: ts.CallExpression): void {
    const [pluginArgument, optionsArgument] = call.arguments;
    if (!pluginArgument) return;
    container.framework ??= 'fastify';
    const options = optionsArgument && unwrap(optionsArgument);
    const prefix = this.#resolver.stringOf(objectProperty(options, 'prefix'));
    const order = this.#context.order(call);
    const plugin = unwrap(pluginArgument);
    const binding =
      this.#resolver.importOf(ts.isCallExpression(plugin) ? unwrap(plugin.expression) : plugin) ??
      this.#importedByDynamicImport(plugin);
    if (binding?.module === '@fastify/autoload') {
      this.#autoload(container, call, options, prefix);
      return;
    }
    if (binding && AUTH_HOOK_PLUGINS.test(binding.module)) {
      const step = this.#context.step('hook', plugin, {
        auth: { check: { by: 'library', detail: binding.module, role: false } },
      });
      container.entries.push({ kind: 'hook', order, steps: [step] });
      return;
    }
    // @fastify/rate-limit limits every route of the context unless `global: false`.
    if (binding && RATE_LIMIT_MODULES.test(binding.module)) {
      const global = objectProperty(options, 'global');
      if (global?.kind !== ts.SyntaxKind.FalseKeyword)
        container.entries.push({ kind: 'hook', order, steps: [this.#context.step('hook', plugin, {})] });
      return;
    }
    const resolved = this.#pluginFunction(plugin);
    if (!resolved) return;
    const parameter = resolved.fn.parameters[0];
    if (!parameter) return;
    const child = this.#parameter(parameter);
    if (!child) return;
    const childFact = this.#facts.containers.get(child)!;
    childFact.framework ??= 'fastify';
    container.entries.push({
      kind: 'mount',
      order,
      ...(prefix ? { path: prefix } : {}),
      steps: [],
      child,
      encapsulate: !resolved.skipsEncapsulation,
    });
  }

  #importedByDynamicImport(plugin: ts.Expression): { module: string; name: string } | undefined {
    if (ts.isCallExpression(plugin) && plugin.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const module = literalText(plugin.arguments[0]);
      return module && !module.startsWith('.') ? { module, name: 'default' } : undefined;
    }
    return undefined;
  }

  /** The plugin function, seeing through `fp(fn)` (fastify-plugin), imports and `import('./x')`. */
  #pluginFunction(
    expression: ts.Expression,
    depth = 0,
  ): { fn: ts.FunctionLikeDeclaration; skipsEncapsulation: boolean } | undefined {
    if (depth > 6) return undefined;
    const target = unwrap(expression);
    if (ts.isCallExpression(target)) {
      const binding = this.#resolver.importOf(unwrap(target.expression));
      if (binding?.module === 'fastify-plugin' && target.arguments[0]) {
        const inner = this.#pluginFunction(target.arguments[0], depth + 1);
        return inner ? { fn: inner.fn, skipsEncapsulation: true } : undefined;
      }
      const module = this.#requiredModuleExport(target);
      if (module) return this.#pluginFunction(module, depth + 1);
    }
    if (isFunctionLike(target)) return { fn: target, skipsEncapsulation: false };
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        if (isFunctionLike(declaration)) return { fn: declaration, skipsEncapsulation: false };
        const value = valueOfDeclaration(declaration);
        if (value) {
          const found = this.#pluginFunction(value, depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /**
   * `@fastify/autoload`: every file in `dir` is a plugin prefixed by its folders; with `autoHooks`, a folder's
   * `autohooks` file adds hooks to the plugins of that folder (and, with `cascadeHooks`, of its subfolders).
   */
  #autoload(
    container: ContainerFact,
    call: ts.CallExpression,
    options: ts.Expression | undefined,
    prefix: PathText | undefined,
  ): void {
    const dir = this.#autoloadDir(objectProperty(options, 'dir'), call.getSourceFile().fileName);
    if (!dir) return;
    const autoHooks = objectProperty(options, 'autoHooks')?.kind === ts.SyntaxKind.TrueKeyword;
    const order = this.#context.order(call);
    const folderKey = (folder: string) => `autoload:${folder}`;
    const visit = (folder: string, depth: number): string => {
      const key = folderKey(folder);
      const fact: ContainerFact = { key, framework: 'fastify', role: 'router', entries: [] };
      this.#facts.containers.set(key, fact);
      for (const entry of listFolder(folder, this.#context.workspaceRealPath)) {
        if (entry.isDirectory) {
          if (depth < 8)
            fact.entries.push({
              kind: 'mount',
              order: { file: entry.path, offset: 0 },
              path: { text: entry.name, complete: true },
              steps: [],
              child: visit(entry.path, depth + 1),
              encapsulate: true,
            });
          continue;
        }
        const parsed = parsePath(entry.name);
        if (!/^\.[cm]?[jt]s$/.test(parsed.ext) || /\.(test|spec|d)$/.test(parsed.name)) continue;
        const sourceFile = this.#programFile(entry.path);
        if (!sourceFile) continue;
        const plugin = defaultExport(sourceFile);
        const resolved = plugin && this.#pluginFunction(plugin);
        const parameter = resolved?.fn.parameters[0];
        const child = parameter && this.#parameter(parameter);
        if (!child) continue;
        this.#facts.containers.get(child)!.framework ??= 'fastify';
        const isHooks = autoHooks && parsed.name === 'autohooks';
        fact.entries.push({
          kind: 'mount',
          order: { file: entry.path, offset: isHooks ? -1 : 0 },
          steps: [],
          child,
          encapsulate: !(isHooks || resolved.skipsEncapsulation),
        });
      }
      return key;
    };
    container.entries.push({
      kind: 'mount',
      order,
      ...(prefix ? { path: prefix } : {}),
      steps: [],
      child: visit(dir, 0),
      encapsulate: true,
    });
  }

  #programFile(path: string): ts.SourceFile | undefined {
    return this.#context.program.getSourceFile(path.split(sep).join('/'));
  }

  /** `path.join(__dirname, 'routes')`, `join(import.meta.dirname, 'plugins')`, `resolve(...)`. */
  #autoloadDir(expression: ts.Expression | undefined, fileName: string): string | undefined {
    const target = expression && unwrap(expression);
    if (!target || !ts.isCallExpression(target)) return undefined;
    if (!/^(join|resolve)$/.test(calleeName(target.expression) ?? '')) return undefined;
    const parts: string[] = [];
    for (const argument of target.arguments) {
      const text = literalText(argument);
      if (text !== undefined) parts.push(text);
      else if (/__dirname|import\.meta\.dirname|dirname\(/.test(argument.getText()))
        parts.push(dirname(fileName));
      else return undefined;
    }
    const dir = join(...parts);
    return relative(this.#context.workspaceRealPath, dir).startsWith('..') ? undefined : dir;
  }
}

function defaultExport(sourceFile: ts.SourceFile): ts.Expression | undefined {
  for (const statement of sourceFile.statements) {
    if (ts.isExportAssignment(statement)) return statement.expression;
    if (
      ts.isFunctionDeclaration(statement) &&
      (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)
    )
      return statement as unknown as ts.Expression;
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.left.getText() === 'module.exports'
    )
      return statement.expression.right;
  }
  return undefined;
}

/** `x.get(...)` with two or more arguments, `x.use(...)`, `x.register(...)`: calls worth resolving `x` for. */
function isRegistrationCandidate(method: string, call: ts.CallExpression): boolean {
  if (HTTP_METHODS.has(method))
    return (
      call.arguments.length >= 2 ||
      (call.arguments.length === 1 &&
        !!expressRouteChain((call.expression as ts.PropertyAccessExpression).expression))
    );
  if (method === 'route') return call.arguments.length >= 1;
  return /^(use|register|addHook|decorate|on|prefix)$/.test(method) && call.arguments.length >= 1;
}

function rootName(expression: ts.Expression): string | undefined {
  let target = unwrap(expression);
  while (ts.isCallExpression(target) || ts.isPropertyAccessExpression(target)) {
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword)
      return target.name.text;
    target = unwrap(target.expression);
  }
  return ts.isIdentifier(target) ? target.text : undefined;
}

/** For `app.route('/x').all(mw).get(h)`: the `route()` call and the `.all()` middleware before `.get`. */
function expressRouteChain(
  receiver: ts.Expression,
): { routeCall: ts.CallExpression; alls: ts.Expression[] } | undefined {
  const alls: ts.Expression[] = [];
  let current = unwrap(receiver);
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
    const name = current.expression.name.text;
    if (
      name === 'route' &&
      current.arguments.length === 1 &&
      !ts.isObjectLiteralExpression(unwrap(current.arguments[0]!))
    )
      return { routeCall: current, alls: alls.reverse() };
    if (name === 'all' && current.arguments.length > 0) {
      const last = current.arguments[current.arguments.length - 1]!;
      if (isMiddlewareShaped(last)) alls.push(...current.arguments);
    } else if (!HTTP_METHODS.has(name)) return undefined;
    current = unwrap(current.expression.expression);
  }
  return undefined;
}

/** `plugin.routes()`, `router.allowedMethods()`: a router apiguard could not follow, not a middleware. */
function isUnresolvedRouter(argument: ts.Expression): boolean {
  const target = unwrap(argument);
  return (
    ts.isCallExpression(target) &&
    /^(routes|allowedMethods|middleware)$/.test(calleeName(target.expression) ?? '')
  );
}

function isMiddlewareShaped(expression: ts.Expression): boolean {
  const target = unwrap(expression);
  if (isFunctionLike(target)) return target.parameters.length >= 3;
  return true;
}
