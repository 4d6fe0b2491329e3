/**
 * The data-flow analysis of one loaded program, called by the framework extractors for every route handler they
 * find (and by the extraction context for every middleware): binds the framework's request and response objects
 * to the handler's parameters, applies the route's validation, runs the interpreter, and records plain facts
 * (model.ts) that outlive the program. Each handler and middleware function is analysed once.
 */
import { dirname, join } from 'node:path';
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
import type { Resolver } from '../resolve.ts';
import { valueOfDeclaration } from '../resolve.ts';
import type { SourcePosition, SourceRange } from '../route.ts';
import { ConfigurationChecks } from './checks.ts';
import {
  type AnalysisContext,
  type CatchReport,
  HANDLER_BUDGET,
  type Hit,
  Interpreter,
} from './interpreter.ts';
import {
  type Arrival,
  type FlowModel,
  type HandlerFramework,
  positionKey,
  type RequestPart,
} from './model.ts';
import { isRateLimiter, LIMITER_CALL } from './rate-limit.ts';
import { type PartValidation, type ValidatedPart, ValidationRecogniser } from './request-validation.ts';
import { type SchemaInfo, SchemaReader } from './schemas.ts';
import { BIT, clearedClasses, EMPTY, FORMAT, type Role, type Taint, taintLabel, type Val } from './value.ts';

/** What the extraction context records on a chain step for the flow analysis. */
export interface StepFlow {
  rateLimit?: true;
  validation?: PartValidation[];
  /** The middleware checks express-validator's `validationResult` and rejects. */
  checksValidationResult?: true;
  /** `req.body.UserId = <from the session>` in middleware: request fields the server sets (`body.UserId`). */
  serverFields?: string[];
}

const ASSIGNABLE_PARTS: Record<string, ValidatedPart> = {
  body: 'body',
  query: 'query',
  params: 'params',
  headers: 'headers',
};

export type RouterFramework = 'express' | 'fastify' | 'koa' | 'hono';

const PARAMETER_ROLES: Record<
  'express' | 'fastify' | 'koa' | 'hono' | 'next-app' | 'next-pages' | 'trpc',
  Role[]
> = {
  express: ['request', 'response', 'next'],
  fastify: ['request', 'response', 'next'],
  koa: ['koa-ctx', 'next'],
  hono: ['hono-ctx', 'next'],
  'next-app': ['web-request', 'next-context'],
  'next-pages': ['request', 'response'],
  trpc: ['trpc-options'],
};
const FORMAT_PIPES =
  /^(ParseIntPipe|ParseFloatPipe|ParseBoolPipe|ParseUUIDPipe|ParseEnumPipe|ParseDatePipe)$/;
const NEST_SOURCES: Record<string, RequestPart> = {
  Body: 'body',
  Query: 'query',
  Param: 'params',
  Headers: 'headers',
  UploadedFile: 'files',
  UploadedFiles: 'files',
  Args: 'body',
  Cookies: 'cookies',
};

export class FlowAnalyser {
  readonly #model: FlowModel;
  readonly #resolver: Resolver;
  readonly #program: ts.Program;
  readonly #position: (node: ts.Node) => SourcePosition;
  readonly #range: (node: ts.Node) => SourceRange;
  readonly #readFile: (path: string) => string | undefined;
  readonly #workspaceRealPath: string;
  readonly #schemas: SchemaReader;
  readonly #validation: ValidationRecogniser;
  readonly #interpreter: Interpreter;
  readonly #checks: ConfigurationChecks;
  readonly #analysed = new Set<ts.Node>();
  readonly #seenArrivals: Set<string>;
  readonly #expressMajor = new Map<string, number | null>();
  #nestPipe: { whitelist: boolean } | null | undefined;
  #asyncErrorsPatched: boolean | undefined;
  #customQueryParser: boolean | undefined;

  constructor(options: {
    program: ts.Program;
    resolver: Resolver;
    model: FlowModel;
    seenArrivals: Set<string>;
    position: (node: ts.Node) => SourcePosition;
    range: (node: ts.Node) => SourceRange;
    readFile: (path: string) => string | undefined;
    workspaceRealPath: string;
    checkedFiles: Set<string>;
  }) {
    this.#model = options.model;
    this.#resolver = options.resolver;
    this.#program = options.program;
    this.#position = options.position;
    this.#range = options.range;
    this.#readFile = options.readFile;
    this.#workspaceRealPath = options.workspaceRealPath;
    this.#seenArrivals = options.seenArrivals;
    const where = (node: ts.Node) => {
      const position = this.#position(node);
      return `${position.file}:${position.line}`;
    };
    this.#schemas = new SchemaReader(this.#resolver, where);
    this.#validation = new ValidationRecogniser(this.#resolver, this.#schemas);
    const workspace = options.workspaceRealPath;
    this.#interpreter = new Interpreter({
      resolver: this.#resolver,
      schemas: this.#schemas,
      position: this.#position,
      range: this.#range,
      isProjectFile: (sourceFile) =>
        !sourceFile.isDeclarationFile &&
        sourceFile.fileName.startsWith(workspace) &&
        !sourceFile.fileName.includes('/node_modules/'),
    });
    this.#checks = new ConfigurationChecks({
      resolver: this.#resolver,
      model: this.#model,
      range: this.#range,
      checkedFiles: options.checkedFiles,
      root: options.workspaceRealPath,
    });
  }

  // ——— routes ———

  /** Express, Fastify, Koa and Hono handlers, with their route's middleware (and Fastify's route options). */
  routeHandler(route: {
    fn?: ts.FunctionLikeDeclaration;
    expression: ts.Expression;
    framework: RouterFramework;
    steps: readonly StepFlow[];
    options?: ts.Expression;
    /** The function was handed to a wrapper call (`asyncHandler(fn)`) that the route receives instead. */
    wrapped?: true;
  }): void {
    const { fn, framework } = route;
    this.#wrappedHandlers(route);
    if (!fn?.body || this.#analysed.has(fn)) return;
    this.#analysed.add(fn);
    const parts = [
      ...route.steps.flatMap((step) => step.validation ?? []),
      ...this.#validation.ofFastifyOptions(route.options),
    ];
    const resultChecked =
      route.steps.some((step) => step.checksValidationResult) || checksValidationResult(fn);
    const validation = ValidationRecogniser.combine(parts, resultChecked);
    const roles = PARAMETER_ROLES[framework];
    const params = fn.parameters.map(
      (_, index): Val => (roles[index] ? { taints: [], role: roles[index]! } : EMPTY),
    );
    const serverFields = new Set(route.steps.flatMap((step) => step.serverFields ?? []));
    this.#analyse(fn, framework, params, validation, {
      ...(serverFields.size > 0 ? { serverFields } : {}),
      returnIsResponse: framework === 'fastify' || framework === 'hono',
      flatQuery: framework === 'express' && this.#flatQuery(fn),
    });
    this.#handlerFacts(fn);
    if (framework === 'express' && !route.wrapped) this.#unhandledAsync(fn, route.expression);
  }

  /**
   * `asyncHandler(searchProducts())`, `catchAsync(async (req, res) => …)`: the wrapper's own function only forwards
   * to the function it was given, so that function is analysed as the handler too, with the route's roles.
   */
  #wrappedHandlers(route: Parameters<FlowAnalyser['routeHandler']>[0]): void {
    const call = unwrap(route.expression);
    if (!ts.isCallExpression(call)) return;
    for (const argument of call.arguments) {
      for (const wrapped of this.#functionsOf(argument)) {
        if (wrapped !== route.fn && wrapped.parameters.length > 0)
          this.routeHandler({ ...route, fn: wrapped, expression: argument, wrapped: true });
      }
    }
  }

  /** A NestJS controller method or GraphQL resolver: sources from parameter decorators, validation from pipes. */
  nestRoute(method: ts.MethodDeclaration): void {
    if (!method.body || this.#analysed.has(method)) return;
    this.#analysed.add(method);
    const controller = method.parent;
    const pipes = [...usePipes(method), ...(ts.isClassDeclaration(controller) ? usePipes(controller) : [])];
    let usesResponse = false;
    const validation = new Map<ValidatedPart, SchemaInfo>();
    const params = method.parameters.map((parameter): Val => {
      for (const decorator of decoratorsOf(parameter)) {
        const call = decoratorCall(decorator);
        if (!call) continue;
        if (/^(Req|Request)$/.test(call.name)) return { taints: [], role: 'request' };
        if (/^(Res|Response)$/.test(call.name)) {
          usesResponse = true;
          return { taints: [], role: 'response' };
        }
        if (call.name === 'Next') return { taints: [], role: 'next' };
        const part = NEST_SOURCES[call.name];
        if (!part) continue;
        const key = literalText(call.args[0]);
        const parameterPipes = call.args.filter((argument) => literalText(argument) === undefined);
        const info = this.#nestValidation(parameter, parameterPipes, pipes, key !== undefined);
        return this.#interpreter.source(part, parameter, {
          ctx: { validation: new Map(info ? [[part, info]] : []) },
        });
      }
      return EMPTY;
    });
    const redirects = decoratorsOf(method).some((decorator) => decoratorCall(decorator)?.name === 'Redirect');
    this.#analyse(method, 'nestjs', params, validation, {
      returnIsResponse: !usesResponse,
      ...(redirects ? { returnRedirects: true } : {}),
    });
    this.#handlerFacts(method);
  }

  /** Next.js App Router (`GET(req, { params })`) and Pages Router (`handler(req, res)`) handlers. */
  nextRoute(fn: ts.FunctionLikeDeclaration | undefined, pages: boolean): void {
    if (!fn?.body || this.#analysed.has(fn)) return;
    this.#analysed.add(fn);
    const roles = PARAMETER_ROLES[pages ? 'next-pages' : 'next-app'];
    const params = fn.parameters.map(
      (_, index): Val => (roles[index] ? { taints: [], role: roles[index]! } : EMPTY),
    );
    this.#analyse(fn, 'nextjs', params, new Map(), { returnIsResponse: false });
    this.#handlerFacts(fn);
  }

  /** A tRPC resolver: `input` validated by the builder's `.input()` schemas. */
  trpcProcedure(fn: ts.FunctionLikeDeclaration | undefined, builder: ts.Expression): void {
    if (!fn?.body || this.#analysed.has(fn)) return;
    this.#analysed.add(fn);
    const schemas = this.#trpcInputs(builder, 0);
    const validation = new Map<ValidatedPart, SchemaInfo>();
    if (schemas.length > 0) validation.set('input', mergeSchemas(schemas));
    else validation.set('input', { bits: 0, strips: true, evidence: 'no .input()', fields: new Map() });
    const params = fn.parameters.map(
      (_, index): Val => (index === 0 ? { taints: [], role: 'trpc-options' } : EMPTY),
    );
    this.#analyse(fn, 'trpc', params, validation, { returnIsResponse: true });
    this.#handlerFacts(fn);
  }

  #trpcInputs(builder: ts.Expression, depth: number): SchemaInfo[] {
    if (depth > 12) return [];
    const target = unwrap(builder);
    if (ts.isCallExpression(target) && ts.isPropertyAccessExpression(target.expression)) {
      const base = this.#trpcInputs(target.expression.expression, depth + 1);
      if (target.expression.name.text !== 'input') return base;
      const info = this.#schemas.read(target.arguments[0]) ?? {
        bits: castsOnly(target.arguments[0]) ? 0 : BIT.input,
        strips: false,
        evidence: shortText(target, 40),
      };
      return [...base, info];
    }
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        const value = valueOfDeclaration(declaration);
        if (value && value !== target) return this.#trpcInputs(value, depth + 1);
      }
    }
    return [];
  }

  // ——— middleware ———

  /** Called for every chain step: rate limiting, validation, and the middleware's own flows and catches. */
  step(kind: string, expression: ts.Expression): StepFlow {
    const flow: StepFlow = {};
    if (isRateLimiter(expression, this.#resolver)) flow.rateLimit = true;
    if (kind === 'route-middleware' || kind === 'use' || kind === 'mount-middleware') {
      const validation = this.#validation.ofMiddleware(expression);
      if (validation) flow.validation = validation;
    }
    const target = unwrap(expression);
    const module = ts.isCallExpression(target)
      ? this.#resolver.importOf(unwrap(target.expression))?.module
      : undefined;
    if (module === 'errorhandler' && !insideDevelopmentBranch(target))
      this.#model.errorHandlers.devHandlers.push(this.#range(target));
    if (module === 'express-mongo-sanitize' || module === 'koa-mongo-sanitize')
      this.#model.nosqlSanitised = module;
    if (kind === 'guard' || kind === 'global-guard' || kind === 'edge-middleware' || kind === 'wrapper')
      return flow;
    const functions = isFunctionLike(target)
      ? [target]
      : ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) || ts.isCallExpression(target)
        ? this.#resolver
            .functionsOf(target)
            .filter((fn) => !fn.getSourceFile().isDeclarationFile)
            .slice(0, 2)
        : [];
    for (const fn of functions) {
      if (checksValidationResult(fn)) flow.checksValidationResult = true;
      if (LIMITER_CALL.test(fn.body?.getText() ?? '')) flow.rateLimit = true;
      const assigned = this.#assignedValidation(fn);
      if (assigned.length > 0) flow.validation = [...(flow.validation ?? []), ...assigned];
      const serverFields = serverSetFields(fn);
      if (serverFields.length > 0) flow.serverFields = [...(flow.serverFields ?? []), ...serverFields];
      this.#middleware(fn, kind);
    }
    return flow;
  }

  /** `request.query = Schema.parse(request.query)` in a hook or middleware: later handlers see the parsed value. */
  #assignedValidation(fn: ts.FunctionLikeDeclaration): PartValidation[] {
    const request = fn.parameters[0]?.name;
    if (!fn.body || !request || !ts.isIdentifier(request)) return [];
    const parts: PartValidation[] = [];
    walk(fn.body, (node) => {
      if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = unwrap(node.left);
      if (!ts.isPropertyAccessExpression(left) || unwrap(left.expression).getText() !== request.text) return;
      const part = Object.hasOwn(ASSIGNABLE_PARTS, left.name.text)
        ? ASSIGNABLE_PARTS[left.name.text]
        : undefined;
      let right = unwrap(node.right);
      if (ts.isAwaitExpression(right)) right = unwrap(right.expression);
      if (!part || !ts.isCallExpression(right) || !ts.isPropertyAccessExpression(right.expression)) return;
      // Methods that throw unless the value conforms and return the parsed value.
      if (!/^(parse|parseAsync|validateSync)$/.test(right.expression.name.text)) return;
      const info = this.#schemas.read(right.expression.expression);
      if (info) parts.push({ part, info });
    });
    return parts;
  }

  #middleware(fn: ts.FunctionLikeDeclaration, kind: string): void {
    if (!fn.body || this.#analysed.has(fn)) return;
    this.#analysed.add(fn);
    const framework = this.#middlewareFramework(fn, kind);
    if (!framework) return;
    if (framework === 'express' && fn.parameters.length === 4) {
      this.#model.errorHandlers.customHandlers++;
      const params: Val[] = [
        this.#interpreter.errorParameter(fn.parameters[0]!),
        { taints: [], role: 'request' },
        { taints: [], role: 'response' },
        { taints: [], role: 'next' },
      ];
      this.#analyse(fn, 'express', params, new Map(), { returnIsResponse: false });
      return;
    }
    const roles = PARAMETER_ROLES[framework === 'trpc' ? 'trpc' : framework];
    const params = fn.parameters.map(
      (_, index): Val => (roles[index] ? { taints: [], role: roles[index]! } : EMPTY),
    );
    this.#analyse(fn, framework, params, new Map(), { returnIsResponse: false, middleware: true });
  }

  #middlewareFramework(fn: ts.FunctionLikeDeclaration, kind: string): RouterFramework | 'trpc' | undefined {
    if (kind === 'hook') return 'fastify';
    if (kind === 'procedure-middleware') return undefined;
    const count = fn.parameters.length;
    if (count >= 3) return 'express';
    const text = fn.getSourceFile().text;
    if (/from ['"]hono['"]|from ['"]hono\//.test(text)) return 'hono';
    if (/['"](koa|@koa\/router|koa-router)['"]/.test(text)) return 'koa';
    if (/['"]fastify['"]/.test(text)) return 'fastify';
    return count >= 2 ? 'express' : undefined;
  }

  // ——— analysis ———

  #analyse(
    fn: ts.FunctionLikeDeclaration,
    framework: HandlerFramework,
    params: readonly Val[],
    validation: ReadonlyMap<ValidatedPart, SchemaInfo>,
    options: {
      returnIsResponse: boolean;
      middleware?: boolean;
      flatQuery?: boolean;
      returnRedirects?: boolean;
      serverFields?: ReadonlySet<string>;
    },
  ): void {
    const handler = { ...this.#position(fn), framework };
    const catches: CatchReport[] = [];
    const ctx: AnalysisContext = {
      mode: 'handler',
      framework,
      validation,
      expressValidatorChecked: false,
      returnIsResponse: options.returnIsResponse,
      record: (hit) => this.#arrive(hit, handler),
      catches,
      budget: { nodes: HANDLER_BUDGET },
      depth: 0,
      root: fn,
      ...(options.middleware ? { middleware: true } : {}),
      ...(options.flatQuery ? { flatQuery: true } : {}),
      ...(options.serverFields ? { serverFields: options.serverFields } : {}),
      ...(options.returnRedirects ? { returnRedirects: true } : {}),
    };
    try {
      this.#interpreter.run(fn, params, ctx);
    } catch {
      // A construct the interpreter does not model must not cost the rest of the scan its results.
      return;
    }
    for (const report of catches) {
      this.#model.swallowed.push({
        at: this.#range(ts.isCatchClause(report.clause) ? report.clause : report.clause.expression),
        kind: report.kind,
        promise: !ts.isCatchClause(report.clause),
        handler,
      });
    }
  }

  #arrive(hit: Hit, handler: SourcePosition & { framework: HandlerFramework }): void {
    const taint: Taint = hit.taint;
    const origin = taint.origin;
    if (origin.kind === 'param') return;
    const label = taintLabel(taint);
    const key = `${hit.range.file}:${hit.range.line}:${hit.range.column}|${hit.match.class}${hit.match.code ? '+code' : ''}|${origin.at.file}:${origin.at.line}:${label}`;
    if (this.#seenArrivals.has(key)) return;
    this.#seenArrivals.add(key);
    const arrival: Arrival = {
      sink: {
        class: hit.match.class,
        name: hit.match.name,
        range: hit.range,
        by: hit.match.by,
        ...(hit.match.operation ? { operation: hit.match.operation } : {}),
        ...(hit.match.code ? { javascript: true as const } : {}),
      },
      source: {
        part: origin.kind === 'request' ? origin.part : 'error',
        label,
        at: { file: origin.at.file, line: origin.at.line, column: origin.at.column },
      },
      steps: [{ ...origin.at, message: label }, ...taint.steps, hit.step],
      // A string is no operator object, but `$where`/`$function` run strings: only a code check clears those.
      cleared: hit.match.code
        ? clearedClasses(taint.cleared).filter((name) => name !== hit.match.class || taint.cleared & BIT.code)
        : clearedClasses(taint.cleared),
      ...(taint.evidence ? { evidence: taint.evidence } : {}),
      built: !!taint.built,
      ...(origin.kind === 'error'
        ? {
            error: {
              part: taint.errorPart ?? 'object',
              from: origin.from,
              ...(hit.status !== undefined ? { status: hit.status } : {}),
              ...(taint.clientSafe ? { clientSafe: true } : {}),
            },
          }
        : {}),
      handler,
    };
    this.#model.arrivals.push(arrival);
  }

  #handlerFacts(fn: ts.FunctionLikeDeclaration): void {
    const text = fn.body?.getText() ?? '';
    const match = LIMITER_CALL.exec(text);
    if (match)
      this.#model.handlers.set(positionKey(this.#position(fn)), { limitsRate: match[0].slice(0, 40) });
  }

  // ——— NestJS validation ———

  #nestValidation(
    parameter: ts.ParameterDeclaration,
    parameterPipes: readonly ts.Expression[],
    methodPipes: readonly ts.Expression[],
    keyed: boolean,
  ): SchemaInfo | undefined {
    let validationPipe: { whitelist: boolean } | undefined;
    for (const pipe of [...parameterPipes, ...methodPipes]) {
      const target = unwrap(pipe);
      const name = calleeName(ts.isNewExpression(target) ? target.expression : target) ?? '';
      if (FORMAT_PIPES.test(name))
        return { bits: FORMAT, strips: true, evidence: `${name} (${this.#where(pipe)})` };
      if (name === 'ValidationPipe') {
        validationPipe ??= { whitelist: ts.isNewExpression(target) && whitelisted(target.arguments?.[0]) };
        continue;
      }
      if (ts.isNewExpression(target)) {
        for (const argument of target.arguments ?? []) {
          const schema = this.#schemas.read(argument);
          if (schema) return schema;
        }
      }
    }
    if (keyed) return undefined;
    const global = this.#globalPipe();
    const pipe = validationPipe ?? global ?? undefined;
    const dto = this.#dtoClass(parameter);
    if (!dto) return undefined;
    const zodSchema = this.#createZodDto(dto);
    if (zodSchema && (pipe || this.#zodPipe())) return zodSchema;
    if (!pipe) return undefined;
    return this.#schemas.dto(dto, pipe.whitelist);
  }

  #where(node: ts.Node): string {
    const position = this.#position(node);
    return `${position.file}:${position.line}`;
  }

  /** The parameter's type when it is a class (an interface or type alias validates nothing at run time). */
  #dtoClass(parameter: ts.ParameterDeclaration): ts.ClassDeclaration | undefined {
    const type = parameter.type;
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const name = ts.isIdentifier(type.typeName) ? type.typeName : type.typeName.right;
    return this.#resolver
      .declarationsOf(name)
      .find(
        (d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && !d.getSourceFile().isDeclarationFile,
      );
  }

  /** nestjs-zod: `class CreateUserDto extends createZodDto(CreateUserSchema) {}`. */
  #createZodDto(declaration: ts.ClassDeclaration): SchemaInfo | undefined {
    const base = declaration.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      ?.expression;
    const target = base && unwrap(base);
    if (
      !target ||
      !ts.isCallExpression(target) ||
      !/^create\w*Dto$/.test(calleeName(target.expression) ?? '')
    )
      return undefined;
    return this.#schemas.read(target.arguments[0]);
  }

  /** `app.useGlobalPipes(new ValidationPipe({ whitelist: true }))` or an `APP_PIPE` provider, anywhere in the program. */
  #globalPipe(): { whitelist: boolean } | null {
    if (this.#nestPipe !== undefined) return this.#nestPipe;
    this.#nestPipe = null;
    for (const sourceFile of this.#projectFiles()) {
      const text = sourceFile.text;
      if (!/useGlobalPipes|APP_PIPE/.test(text) || !text.includes('ValidationPipe')) continue;
      let found: { whitelist: boolean } | undefined;
      walk(sourceFile, (node) => {
        if (found) return false;
        if (ts.isNewExpression(node) && calleeName(node.expression) === 'ValidationPipe')
          found = { whitelist: whitelisted(node.arguments?.[0]) };
        else if (
          ts.isIdentifier(node) &&
          node.text === 'ValidationPipe' &&
          ts.isPropertyAssignment(node.parent)
        )
          found = { whitelist: false };
      });
      if (found) {
        this.#nestPipe = found;
        break;
      }
    }
    return this.#nestPipe;
  }

  #zodPipe(): boolean {
    return this.#projectFiles().some(
      (file) => /ZodValidationPipe/.test(file.text) && /APP_PIPE|useGlobalPipes/.test(file.text),
    );
  }

  #projectFiles(): readonly ts.SourceFile[] {
    return this.#program
      .getSourceFiles()
      .filter((file) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/'));
  }

  // ——— Express 4 async handlers ———

  #unhandledAsync(fn: ts.FunctionLikeDeclaration, expression: ts.Expression): void {
    if (!(ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async)) return;
    if (this.#producedByCall(expression)) return;
    const pending = firstUncaughtAwait(fn);
    if (!pending) return;
    const major = this.#expressMajorFor(fn.getSourceFile().fileName);
    if (major === undefined || major >= 5 || this.#patchesAsyncErrors()) return;
    this.#model.asyncHandlers.push({
      at: this.#range(fn),
      awaitAt: this.#position(pending),
      expressMajor: major,
      handler: this.#position(fn),
    });
  }

  /**
   * `asyncHandler(fn)`, or `controller.getUser` where `controller = wrapController(raw)`: the route receives what a
   * call made, presumably a wrapper that catches, not the async function itself.
   */
  #producedByCall(expression: ts.Expression, depth = 0): boolean {
    const target = unwrap(expression);
    if (ts.isCallExpression(target)) return true;
    if (depth > 3) return false;
    const named = ts.isPropertyAccessExpression(target) ? target.expression : target;
    if (!ts.isIdentifier(named) && !ts.isPropertyAccessExpression(named)) return false;
    return this.#resolver.declarationsOf(named).some((declaration) => {
      const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
      return !!initializer && this.#producedByCall(initializer, depth + 1);
    });
  }

  /** Express 5 parses query strings flat unless the project sets another `query parser`. */
  #flatQuery(fn: ts.FunctionLikeDeclaration): boolean {
    const major = this.#expressMajorFor(fn.getSourceFile().fileName);
    if (major === undefined || major < 5) return false;
    this.#customQueryParser ??= this.#projectFiles().some((file) => /['"]query parser['"]/.test(file.text));
    return !this.#customQueryParser;
  }

  /** `require('express-async-errors')` anywhere makes Express 4 forward rejections. */
  #patchesAsyncErrors(): boolean {
    this.#asyncErrorsPatched ??= this.#projectFiles().some((file) =>
      /['"](express-async-errors|@root\/async-errors|express-async-router)['"]/.test(file.text),
    );
    return this.#asyncErrorsPatched;
  }

  /** Express's major version from the nearest package.json that depends on it. */
  #expressMajorFor(fileName: string): number | undefined {
    let dir = dirname(fileName);
    const visited: string[] = [];
    let major: number | undefined;
    for (let steps = 0; steps < 30; steps++) {
      const cached = this.#expressMajor.get(dir);
      if (cached !== undefined) {
        major = cached ?? undefined;
        break;
      }
      visited.push(dir);
      const text = this.#readFile(join(dir, 'package.json'));
      const version = text ? expressRange(text) : undefined;
      if (version !== undefined) {
        major = version;
        break;
      }
      if (dir === this.#workspaceRealPath || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
    for (const path of visited) this.#expressMajor.set(path, major ?? null);
    return major;
  }

  // ——— files ———

  /** Configuration checks and error handlers registered outside route chains. */
  file(sourceFile: ts.SourceFile): void {
    this.#checks.file(sourceFile);
    const text = sourceFile.text;
    if (!/setErrorHandler|onError|@Catch|express\(\)/.test(text)) return;
    walk(sourceFile, (node) => {
      if (ts.isCallExpression(node)) {
        const callee = unwrap(node.expression);
        if (
          ts.isPropertyAccessExpression(callee) &&
          /^(setErrorHandler|onError)$/.test(callee.name.text) &&
          node.arguments[0]
        ) {
          const framework = callee.name.text === 'onError' ? 'hono' : 'fastify';
          for (const fn of this.#functionsOf(node.arguments[0])) this.#errorHandler(fn, framework);
        } else if (
          ts.isIdentifier(callee) &&
          callee.text === 'express' &&
          this.#resolver.importOf(callee)?.module === 'express'
        ) {
          this.#model.errorHandlers.expressApps.push(this.#range(node));
        }
      } else if (ts.isClassDeclaration(node)) {
        const isFilter = decoratorsOf(node).some((decorator) => decoratorCall(decorator)?.name === 'Catch');
        if (!isFilter) return false;
        const method = node.members.find(
          (member): member is ts.MethodDeclaration =>
            ts.isMethodDeclaration(member) && member.name.getText() === 'catch',
        );
        if (method) this.#errorHandler(method, 'nestjs');
        return false;
      }
    });
  }

  #functionsOf(expression: ts.Expression): ts.FunctionLikeDeclaration[] {
    const target = unwrap(expression);
    if (isFunctionLike(target)) return [target];
    return this.#resolver
      .functionsOf(target)
      .filter((fn) => !fn.getSourceFile().isDeclarationFile)
      .slice(0, 2);
  }

  /** Fastify `setErrorHandler((err, req, reply) => …)`, Hono `onError((err, c) => …)`, NestJS `catch(exception, host)`. */
  #errorHandler(fn: ts.FunctionLikeDeclaration, framework: 'fastify' | 'hono' | 'nestjs'): void {
    if (!fn.body || this.#analysed.has(fn) || !fn.parameters[0]) return;
    this.#analysed.add(fn);
    this.#model.errorHandlers.customHandlers++;
    const error = this.#interpreter.errorParameter(fn.parameters[0]);
    const second: Val = {
      taints: [],
      role: framework === 'fastify' ? 'request' : framework === 'hono' ? 'hono-ctx' : 'arguments-host',
    };
    const third: Val = framework === 'fastify' ? { taints: [], role: 'response' } : EMPTY;
    this.#analyse(fn, framework, [error, second, third], new Map(), {
      returnIsResponse: framework === 'hono',
    });
  }

  /** Configuration checks of program files no route led to (services, clients, auth helpers). */
  finish(): void {
    for (const sourceFile of this.#projectFiles()) {
      if (!sourceFile.fileName.startsWith(this.#workspaceRealPath)) continue;
      this.#checks.file(sourceFile);
    }
  }
}

/** `.input((raw: unknown) => raw as Input)`: a validator function that returns its argument checks nothing. */
function castsOnly(validator: ts.Expression | undefined): boolean {
  const fn = validator && unwrap(validator);
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const parameter = fn.parameters[0]?.name;
  if (!parameter || !ts.isIdentifier(parameter)) return false;
  const body = ts.isBlock(fn.body)
    ? fn.body.statements.length === 1 && ts.isReturnStatement(fn.body.statements[0]!)
      ? fn.body.statements[0].expression
      : undefined
    : fn.body;
  const returned = body && unwrap(body);
  return !!returned && ts.isIdentifier(returned) && returned.text === parameter.text;
}

function usePipes(node: ts.Node): ts.Expression[] {
  return decoratorsOf(node).flatMap((decorator) => {
    const call = decoratorCall(decorator);
    return call?.name === 'UsePipes' ? [...call.args] : [];
  });
}

function whitelisted(options: ts.Expression | undefined): boolean {
  const value = objectProperty(options && unwrap(options), 'whitelist');
  return !!value && unwrap(value).kind === ts.SyntaxKind.TrueKeyword;
}

function checksValidationResult(fn: ts.FunctionLikeDeclaration): boolean {
  const text = fn.body?.getText() ?? '';
  return /validationResult\s*\(/.test(text) && /\.(isEmpty|throw|array)\s*\(/.test(text);
}

function insideDevelopmentBranch(node: ts.Node): boolean {
  for (let current = node.parent; current && !ts.isSourceFile(current); current = current.parent) {
    if (ts.isIfStatement(current) && /NODE_ENV|development|isDev/.test(current.expression.getText()))
      return true;
  }
  return false;
}

/** The first `await` (or `for await`) not covered by a `try` with a `catch`, outside nested functions. */
function firstUncaughtAwait(fn: ts.FunctionLikeDeclaration): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node, covered: boolean): void => {
    if (found) return;
    if (node !== fn && isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) && !covered) {
      found = node;
      return;
    }
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, covered || !!node.catchClause);
      if (node.catchClause) visit(node.catchClause.block, covered);
      if (node.finallyBlock) visit(node.finallyBlock, covered);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, covered));
  };
  if (fn.body) visit(fn.body, false);
  return found;
}

/** The major version an Express dependency range allows (`^4.18.2` → 4); undefined: not a dependency here. */
function expressRange(packageJson: string): number | undefined {
  if (packageJson.length > 1_000_000) return undefined;
  let parsed: Record<string, Record<string, string> | undefined>;
  try {
    parsed = JSON.parse(packageJson);
  } catch {
    return undefined;
  }
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const range = parsed[field]?.express;
    if (typeof range !== 'string') continue;
    if (/^(latest|next|\*)$/.test(range.trim())) return 5;
    const match = /(\d+)/.exec(range);
    return match ? Number(match[1]) : undefined;
  }
  return undefined;
}

function mergeSchemas(schemas: readonly SchemaInfo[]): SchemaInfo {
  if (schemas.length === 1) return schemas[0]!;
  const fields = new Map<string, SchemaInfo>();
  for (const schema of schemas) for (const [key, value] of schema.fields ?? []) fields.set(key, value);
  return {
    bits: schemas.reduce((bits, schema) => bits & schema.bits, FORMAT),
    fields,
    strips: schemas.every((schema) => schema.strips),
    evidence: schemas[0]!.evidence,
  };
}

/**
 * `req.body.UserId = tokens[jwtFrom(req)].id` in middleware: the field the handler reads is the server's, not the
 * caller's (a value copied from the same request part is still the caller's).
 */
function serverSetFields(fn: ts.FunctionLikeDeclaration): string[] {
  const request = fn.parameters[0]?.name;
  if (!fn.body || !request || !ts.isIdentifier(request)) return [];
  const fields: string[] = [];
  walk(fn.body, (node) => {
    if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const left = unwrap(node.left);
    if (!ts.isPropertyAccessExpression(left)) return;
    const holder = unwrap(left.expression);
    if (!ts.isPropertyAccessExpression(holder) || unwrap(holder.expression).getText() !== request.text)
      return;
    const part = holder.name.text;
    if (!Object.hasOwn(ASSIGNABLE_PARTS, part)) return;
    if (node.right.getText().includes(`${request.text}.${part}`)) return;
    fields.push(`${ASSIGNABLE_PARTS[part]}.${left.name.text}`);
  });
  return fields;
}
