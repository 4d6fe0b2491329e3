/**
 * The data-flow interpreter: evaluates a function body in order over abstract values (value.ts), from the
 * request (or a caught error) to the sinks (sinks.ts). Branches are evaluated on copies of the environment and
 * joined; guards (`if (!isUUID(id)) return 400`) clear what they check on the branch where the check holds.
 * Calls into project functions use one summary per function (its parameters as symbolic sources), computed once
 * and instantiated at every call; calls that pass the request or response itself, and closures, are followed
 * inline. Everything is bounded: call depth, nodes visited per analysis, taints per value.
 */
import { ts } from 'ts-morph';
import {
  calleeName,
  dottedName,
  isFunctionLike,
  literalText,
  propertyNameText,
  shortText,
  unwrap,
  walk,
} from '../ast.ts';
import type { Resolver } from '../resolve.ts';
import type { SourcePosition, SourceRange } from '../route.ts';
import { type Guard, guardsOf, isEnvironmentTest } from './guards.ts';
import type { FlowStep, HandlerFramework, RequestPart, SinkClass } from './model.ts';
import { applySchema, type RequestValidation } from './request-validation.ts';
import type { SchemaInfo, SchemaReader } from './schemas.ts';
import {
  type CallShape,
  looksLikeSql,
  matchSinks,
  type SinkContext,
  type SinkMatch,
  sinkName,
} from './sinks.ts';
import {
  addStep,
  BIT,
  build,
  clear,
  deepTaints,
  EMPTY,
  errorPartNamed,
  FORMAT,
  isEmpty,
  isTainted,
  join,
  joinAll,
  mapTaints,
  member,
  PRIMITIVE,
  type Role,
  stringified,
  type Taint,
  TYPED,
  type Val,
  withProps,
} from './value.ts';

/** Calls into project functions followed below a handler. */
const MAX_CALL_DEPTH = 4;
/** Nodes evaluated per handler analysis (inline calls included) and per function summary. */
export const HANDLER_BUDGET = 40_000;
const SUMMARY_BUDGET = 8_000;

/** A sink reached by a taint, before it becomes an arrival (concrete origin) or a summary entry (parameter). */
export interface Hit {
  match: SinkMatch;
  taint: Taint;
  range: SourceRange;
  /** The sink as a step of the flow. */
  step: FlowStep;
  /** Response status for error data, when the code states it. */
  status?: number;
}

export interface Summary {
  /** Sinks reached from a parameter (symbolic taints). */
  sinks: Hit[];
  /** Sinks reached by data that originates in the function itself (a caught error). */
  concrete: Hit[];
  returns: Val;
}

export interface CatchReport {
  clause: ts.CatchClause | ts.CallExpression;
  kind: 'no-response' | 'ignored' | 'fail-open';
}

export interface AnalysisContext {
  mode: 'handler' | 'summary';
  framework: HandlerFramework;
  /** Route-level validation by request part. */
  validation: RequestValidation;
  /** `validationResult(req)` is checked: express-validator chains count. */
  expressValidatorChecked: boolean;
  /** What the handler returns is the response body (NestJS, tRPC, Fastify, Hono). */
  returnIsResponse: boolean;
  record(hit: Hit): void;
  catches?: CatchReport[];
  budget: { nodes: number };
  depth: number;
  /** The function whose returned value is the response. */
  root: ts.FunctionLikeDeclaration;
  /** Middleware: a catch that calls `next()` after a failed verification lets the request through. */
  middleware?: boolean;
  /** Express 5's default query parser: `req.query` holds strings and arrays, never operator objects. */
  flatQuery?: boolean;
  /** Request fields middleware sets from server data (`body.UserId`): not the caller's input. */
  serverFields?: ReadonlySet<string>;
  /** NestJS `@Redirect()`: the handler redirects to the `url` it returns. */
  returnRedirects?: boolean;
}

interface Frame {
  env: Map<string, Val>;
  fn: ts.FunctionLikeDeclaration;
  returns: Val[];
  ctx: AnalysisContext;
}

/** String and array methods whose result carries the receiver's data. */
const PASS_THROUGH =
  /^(trim|trimStart|trimEnd|toLowerCase|toUpperCase|toLocaleLowerCase|toLocaleUpperCase|normalize|slice|substring|substr|padStart|padEnd|repeat|concat|split|join|replace|replaceAll|at|charAt|flat|flatMap|map|filter|find|findLast|sort|reverse|toSorted|toReversed|values|entries|keys|get|getAll|toString|valueOf|then|finally|json|text|formData|clone|lean|exec|toObject|toJSON|populate)$/;
const ITERATION = /^(map|forEach|filter|find|findLast|some|every|flatMap|reduce|reduceRight|sort|findIndex)$/;
const NUMBER_FUNCTIONS = /^(Number|parseInt|parseFloat|BigInt|Boolean|isNaN|isFinite)$/;
const FORMAT_CONSTRUCTORS = /^(Date|ObjectId|ObjectID|Types\.ObjectId|mongoose\.Types\.ObjectId|UUID)$/;

export class Interpreter {
  readonly #resolver: Resolver;
  readonly #schemas: SchemaReader;
  readonly #position: (node: ts.Node) => SourcePosition;
  readonly #range: (node: ts.Node) => SourceRange;
  readonly #isProjectFile: (sourceFile: ts.SourceFile) => boolean;
  readonly #summaries = new Map<ts.FunctionLikeDeclaration, Summary>();
  readonly #inProgress = new Set<ts.FunctionLikeDeclaration>();
  readonly #mongo = new Map<ts.Node, boolean>();
  readonly #persistence = new Map<ts.Node, boolean>();
  readonly #sinkContext: SinkContext;

  constructor(options: {
    resolver: Resolver;
    schemas: SchemaReader;
    position: (node: ts.Node) => SourcePosition;
    range: (node: ts.Node) => SourceRange;
    isProjectFile: (sourceFile: ts.SourceFile) => boolean;
  }) {
    this.#resolver = options.resolver;
    this.#schemas = options.schemas;
    this.#position = options.position;
    this.#range = options.range;
    this.#isProjectFile = options.isProjectFile;
    this.#sinkContext = {
      importOf: (node) => this.#importOf(node),
      isMongo: (receiver) => this.#isMongo(receiver),
      isPersistence: (receiver) => this.#isPersistence(receiver),
    };
  }

  get resolver(): Resolver {
    return this.#resolver;
  }

  step(node: ts.Node, message: string): FlowStep {
    return { ...this.#position(node), message };
  }

  /** Analyses a function with the given parameter values; returns what it returns. */
  run(
    fn: ts.FunctionLikeDeclaration,
    params: readonly Val[],
    ctx: AnalysisContext,
    outer?: Map<string, Val>,
  ): Val {
    if (!fn.body) return EMPTY;
    const frame: Frame = { env: new Map(outer), fn, returns: [], ctx };
    fn.parameters.forEach((parameter, index) => {
      const value = parameter.dotDotDotToken ? joinAll(params.slice(index)) : (params[index] ?? EMPTY);
      const withDefault = parameter.initializer ? join(value, this.ev(parameter.initializer, frame)) : value;
      this.#bind(parameter.name, withDefault, frame);
    });
    if (ts.isBlock(fn.body)) this.#block(fn.body.statements, frame);
    else {
      const value = this.ev(fn.body, frame);
      frame.returns.push(value);
      if (fn === ctx.root) this.#returnedAsResponse(value, fn.body, frame);
    }
    return joinAll(frame.returns);
  }

  // ——— statements ———

  /** Evaluates statements in order; true when the sequence always exits (return, throw). */
  #block(statements: readonly ts.Statement[], frame: Frame): boolean {
    for (const statement of statements) {
      if (this.#statement(statement, frame)) return true;
      if (frame.ctx.budget.nodes <= 0) return false;
    }
    return false;
  }

  #statement(node: ts.Statement, frame: Frame): boolean {
    frame.ctx.budget.nodes--;
    if (frame.ctx.budget.nodes <= 0) return false;
    if (ts.isBlock(node)) return this.#block(node.statements, frame);
    if (ts.isVariableStatement(node)) {
      for (const declaration of node.declarationList.declarations) {
        const value = declaration.initializer ? this.ev(declaration.initializer, frame) : EMPTY;
        this.#bind(declaration.name, value, frame);
      }
      return false;
    }
    if (ts.isExpressionStatement(node)) {
      this.ev(node.expression, frame);
      return isExitCall(node.expression);
    }
    if (ts.isIfStatement(node)) return this.#if(node, frame);
    if (ts.isReturnStatement(node)) {
      const value = node.expression ? this.ev(node.expression, frame) : EMPTY;
      frame.returns.push(value);
      if (node.expression && frame.fn === frame.ctx.root)
        this.#returnedAsResponse(value, node.expression, frame);
      return true;
    }
    if (ts.isThrowStatement(node)) {
      if (node.expression) this.ev(node.expression, frame);
      return true;
    }
    if (ts.isTryStatement(node)) return this.#try(node, frame);
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const iterated = this.ev(node.expression, frame);
      const element = ts.isForInStatement(node) ? keysOf(iterated) : elementOf(iterated);
      const before = frame.env;
      frame.env = new Map(before);
      const initializer = node.initializer;
      if (ts.isVariableDeclarationList(initializer)) {
        for (const declaration of initializer.declarations) this.#bind(declaration.name, element, frame);
      } else this.#assign(initializer, element, frame);
      this.#statement(node.statement, frame);
      frame.env = mergeEnv(before, frame.env);
      return false;
    }
    if (ts.isForStatement(node)) {
      if (node.initializer) {
        if (ts.isVariableDeclarationList(node.initializer)) {
          for (const declaration of node.initializer.declarations)
            this.#bind(
              declaration.name,
              declaration.initializer ? this.ev(declaration.initializer, frame) : EMPTY,
              frame,
            );
        } else this.ev(node.initializer, frame);
      }
      if (node.condition) this.ev(node.condition, frame);
      const before = frame.env;
      frame.env = new Map(before);
      this.#statement(node.statement, frame);
      if (node.incrementor) this.ev(node.incrementor, frame);
      frame.env = mergeEnv(before, frame.env);
      return false;
    }
    if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      this.ev(node.expression, frame);
      const before = frame.env;
      frame.env = new Map(before);
      this.#statement(node.statement, frame);
      frame.env = mergeEnv(before, frame.env);
      return false;
    }
    if (ts.isSwitchStatement(node)) return this.#switch(node, frame);
    if (ts.isFunctionDeclaration(node)) {
      if (node.name) frame.env.set(node.name.text, { taints: [], fns: [node] });
      return false;
    }
    if (ts.isLabeledStatement(node)) return this.#statement(node.statement, frame);
    return false;
  }

  #if(node: ts.IfStatement, frame: Frame): boolean {
    this.ev(node.expression, frame);
    const guards = guardsOf(
      node.expression,
      (expression) => this.#guardSubject(expression, frame),
      this.#resolver,
    );
    const environment = isEnvironmentTest(node.expression);
    const before = frame.env;
    const thenEnv = this.#applyGuards(new Map(before), guards.whenTrue, frame, environment, node.expression);
    const elseEnv = this.#applyGuards(new Map(before), guards.whenFalse, frame, environment, node.expression);
    frame.env = thenEnv;
    const thenExits = this.#statement(node.thenStatement, frame);
    const thenAfter = frame.env;
    frame.env = elseEnv;
    const elseExits = node.elseStatement ? this.#statement(node.elseStatement, frame) : false;
    const elseAfter = frame.env;
    if (thenExits && elseExits) {
      frame.env = before;
      return true;
    }
    frame.env = thenExits ? elseAfter : elseExits ? thenAfter : mergeEnv(thenAfter, elseAfter);
    return false;
  }

  #applyGuards(
    env: Map<string, Val>,
    guards: readonly Guard[],
    frame: Frame,
    environment: boolean,
    condition: ts.Expression,
  ): Map<string, Val> {
    if (environment) {
      // A development-only branch (or its production twin): error details there are a deliberate choice.
      for (const [name, value] of env) env.set(name, dropErrors(value));
    }
    for (const guard of guards) {
      const current = env.get(guard.subject) ?? this.#lookupDotted(guard.subject, frame, condition);
      if (!current) continue;
      const next = guard.clientSafeError
        ? mapTaints(current, (taint) =>
            taint.origin.kind === 'error' ? { ...taint, clientSafe: true } : taint,
          )
        : clear(current, guard.bits, guard.evidence);
      env.set(guard.subject, next);
      if (guard.also)
        for (const alias of guard.also) {
          const other = env.get(alias);
          if (other) env.set(alias, clear(other, guard.bits, guard.evidence));
        }
    }
    return env;
  }

  /** `req.query.project` read where the check `within` reads it, so a request source is named and placed there. */
  #lookupDotted(subject: string, frame: Frame, within: ts.Node): Val | undefined {
    if (!subject.includes('.')) return undefined;
    const parts = subject.split('.');
    let value = frame.env.get(parts[0]!);
    if (!value) return undefined;
    for (let index = 1; index < parts.length; index++) {
      const read = value.role ? accessNamed(within, parts.slice(0, index + 1).join('.')) : undefined;
      value = this.#member(value, parts[index]!, read, frame);
    }
    return value;
  }

  /** The environment name a guard's subject expression is stored under (`id`, `req.query.next`). */
  #guardSubject(expression: ts.Expression, frame: Frame): string | undefined {
    const target = unwrap(expression);
    const name = dottedName(target);
    if (!name) return undefined;
    if (frame.env.has(name.split('.')[0]!)) return name;
    return undefined;
  }

  #switch(node: ts.SwitchStatement, frame: Frame): boolean {
    this.ev(node.expression, frame);
    const subject = this.#guardSubject(node.expression, frame);
    const before = frame.env;
    const after: Map<string, Val>[] = [];
    let hasDefault = false;
    let allExit = true;
    for (const clause of node.caseBlock.clauses) {
      frame.env = new Map(before);
      if (ts.isCaseClause(clause)) {
        const literal =
          literalText(clause.expression) !== undefined || ts.isNumericLiteral(clause.expression);
        if (subject && literal) {
          const current = frame.env.get(subject) ?? this.#lookupDotted(subject, frame, node.expression);
          if (current)
            frame.env.set(subject, clear(current, FORMAT, `case ${shortText(clause.expression, 30)}`));
        }
      } else hasDefault = true;
      const exits = this.#block(clause.statements, frame);
      const fallsThrough = clause.statements.length === 0;
      if (!exits && !fallsThrough) {
        allExit = false;
        after.push(frame.env);
      }
    }
    if (!hasDefault) {
      allExit = false;
      after.push(before);
    }
    frame.env = after.length > 0 ? after.reduce(mergeEnv) : before;
    return allExit && after.length === 0;
  }

  #try(node: ts.TryStatement, frame: Frame): boolean {
    const before = new Map(frame.env);
    const tryExits = this.#block(node.tryBlock.statements, frame);
    const afterTry = frame.env;
    let catchExits = true;
    let afterCatch = afterTry;
    if (node.catchClause) {
      frame.env = mergeEnv(before, afterTry);
      const declaration = node.catchClause.variableDeclaration;
      if (declaration) this.#bind(declaration.name, this.#errorValue(declaration.name, 'catch'), frame);
      catchExits = this.#block(node.catchClause.block.statements, frame);
      afterCatch = frame.env;
      if (frame.ctx.mode === 'handler' && frame.ctx.catches) this.#judgeCatch(node.catchClause, frame);
    }
    frame.env = tryExits ? afterCatch : catchExits ? afterTry : mergeEnv(afterTry, afterCatch);
    const exits = tryExits && catchExits;
    if (node.finallyBlock) {
      if (this.#block(node.finallyBlock.statements, frame)) return true;
    }
    return exits;
  }

  #errorValue(name: ts.BindingName | ts.Node, from: 'catch' | 'error-handler'): Val {
    const label = ts.isIdentifier(name) ? name.text : 'error';
    return {
      taints: [
        {
          origin: { kind: 'error', from, label, at: this.step(name, label) },
          path: [],
          cleared: 0,
          steps: [],
          errorPart: 'object',
        },
      ],
    };
  }

  errorParameter(parameter: ts.ParameterDeclaration): Val {
    return this.#errorValue(parameter.name, 'error-handler');
  }

  // ——— bindings ———

  #bind(name: ts.BindingName, value: Val, frame: Frame): void {
    if (ts.isIdentifier(name)) {
      frame.env.set(name.text, value);
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      const taken = new Set<string>();
      for (const element of name.elements) {
        if (element.dotDotDotToken) {
          const rest = value.props
            ? withProps(value, new Map([...value.props].filter(([key]) => !taken.has(key))))
            : value;
          this.#bind(element.name, rest, frame);
          continue;
        }
        const key =
          (element.propertyName && propertyNameText(element.propertyName as ts.PropertyName)) ??
          (ts.isIdentifier(element.name) ? element.name.text : undefined);
        if (!key) continue;
        taken.add(key);
        let part = this.#member(value, key, element, frame);
        if (element.initializer) part = join(part, this.ev(element.initializer, frame));
        this.#bind(element.name, part, frame);
      }
      return;
    }
    const element = elementOf(value);
    for (const item of name.elements) {
      if (ts.isOmittedExpression(item)) continue;
      this.#bind(item.name, item.dotDotDotToken ? value : element, frame);
    }
  }

  #assign(target: ts.Expression, value: Val, frame: Frame): void {
    const left = unwrap(target);
    if (ts.isIdentifier(left)) {
      frame.env.set(left.text, value);
      return;
    }
    if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) {
      // Destructuring assignment: treat each named target as receiving the value's matching part.
      for (const element of ts.isObjectLiteralExpression(left) ? left.properties : left.elements) {
        if (ts.isShorthandPropertyAssignment(element))
          frame.env.set(element.name.text, member(value, element.name.text));
        else if (ts.isPropertyAssignment(element)) {
          const key = propertyNameText(element.name);
          if (key) this.#assign(element.initializer, member(value, key), frame);
        } else if (ts.isIdentifier(element)) frame.env.set(element.text, elementOf(value));
      }
      return;
    }
    if (ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) {
      const base = unwrap(left.expression);
      const key = ts.isPropertyAccessExpression(left) ? left.name.text : literalText(left.argumentExpression);
      const baseValue = this.ev(base, frame);
      // Koa `ctx.body = …`: the response body.
      if (baseValue.role === 'koa-ctx' && key === 'body') {
        this.#checkResponse(value, left, frame, koaStatus(left));
        return;
      }
      // `filter.name = req.body.name`, `req.body = schema.parse(req.body)`: the object gains the value.
      const root = dottedName(base);
      if (!root || !key) return;
      if (baseValue.role) {
        const dotted = `${root}.${key}`;
        frame.env.set(dotted, value);
        return;
      }
      const rootName = root.split('.')[0]!;
      if (!frame.env.has(rootName) || root.includes('.')) {
        if (frame.env.has(rootName)) frame.env.set(`${root}.${key}`, value);
        return;
      }
      const current = frame.env.get(rootName) ?? EMPTY;
      const updated = withProps(current, new Map([...(current.props ?? []), [key, value]]));
      // `const alias = criteria` shares the object: a write through one name is seen through the others.
      if (current.props)
        for (const [name, bound] of frame.env) if (bound === current) frame.env.set(name, updated);
      frame.env.set(rootName, updated);
    }
  }

  // ——— expressions ———

  ev(node: ts.Expression, frame: Frame): Val {
    frame.ctx.budget.nodes--;
    if (frame.ctx.budget.nodes <= 0) return EMPTY;
    switch (node.kind) {
      case ts.SyntaxKind.Identifier: {
        const name = (node as ts.Identifier).text;
        const value = frame.env.get(name);
        if (value) return value;
        if (name === 'undefined') return EMPTY;
        return EMPTY;
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
        return { taints: [], text: (node as ts.StringLiteral).text.slice(0, 300) };
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.AwaitExpression:
        return this.ev((node as ts.ParenthesizedExpression).expression, frame);
      case ts.SyntaxKind.TemplateExpression: {
        const template = node as ts.TemplateExpression;
        const parts: Val[] = [{ taints: [], text: template.head.text }];
        for (const span of template.templateSpans) {
          parts.push(this.#stringPart(span.expression, frame));
          parts.push({ taints: [], text: span.literal.text });
        }
        return build(parts);
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        // `sql\`…${x}\``, `Prisma.sql\`…\``, execa's `$\`…\``: the tag parameterises or escapes its values.
        const template = (node as ts.TaggedTemplateExpression).template;
        if (ts.isTemplateExpression(template))
          for (const span of template.templateSpans) this.ev(span.expression, frame);
        return EMPTY;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.#binary(node as ts.BinaryExpression, frame);
      case ts.SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.ev(conditional.condition, frame);
        const guards = guardsOf(conditional.condition, (e) => this.#guardSubject(e, frame), this.#resolver);
        const environment = isEnvironmentTest(conditional.condition);
        const before = frame.env;
        frame.env = this.#applyGuards(
          new Map(before),
          guards.whenTrue,
          frame,
          environment,
          conditional.condition,
        );
        let whenTrue = this.ev(conditional.whenTrue, frame);
        const allowList = allowListedInBranch(conditional);
        if (allowList && !isTainted(this.ev(allowList.list, frame)))
          whenTrue = clear(whenTrue, FORMAT, `allow-list ${shortText(allowList.list, 30)}`);
        frame.env = this.#applyGuards(
          new Map(before),
          guards.whenFalse,
          frame,
          environment,
          conditional.condition,
        );
        const whenFalse = this.ev(conditional.whenFalse, frame);
        frame.env = before;
        return join(whenTrue, whenFalse);
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        const dotted = dottedName(access);
        if (dotted) {
          const stored = frame.env.get(dotted);
          if (stored) return stored;
        }
        return this.#member(this.ev(access.expression, frame), access.name.text, access, frame);
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        const base = this.ev(access.expression, frame);
        const key = literalText(access.argumentExpression);
        this.ev(access.argumentExpression, frame);
        if (key !== undefined) return this.#member(base, key, access, frame);
        return ts.isNumericLiteral(access.argumentExpression) ? elementOf(base) : elementOf(base);
      }
      case ts.SyntaxKind.CallExpression:
        return this.#call(node as ts.CallExpression, frame);
      case ts.SyntaxKind.NewExpression:
        return this.#new(node as ts.NewExpression, frame);
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.#object(node as ts.ObjectLiteralExpression, frame);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        const values = (node as ts.ArrayLiteralExpression).elements.map((element) =>
          ts.isSpreadElement(element)
            ? elementOf(this.ev(element.expression, frame))
            : this.ev(element, frame),
        );
        const joined = joinAll(values.map((value) => ({ ...value, text: undefined, str: undefined })));
        // A fresh value per literal, so that a `push` through one name is seen through its aliases.
        return { taints: deepTaints(joined) };
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return { taints: [], fns: [node as ts.FunctionLikeDeclaration] };
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const prefix = node as ts.PrefixUnaryExpression;
        this.ev(prefix.operand, frame);
        return EMPTY;
      }
      case ts.SyntaxKind.PostfixUnaryExpression:
      case ts.SyntaxKind.TypeOfExpression:
      case ts.SyntaxKind.VoidExpression:
      case ts.SyntaxKind.DeleteExpression:
        return EMPTY;
      case ts.SyntaxKind.SpreadElement:
        return this.ev((node as ts.SpreadElement).expression, frame);
      default:
        return EMPTY;
    }
  }

  /** A part of a built string: constants resolved (`BASE_URL + path`) so the string's leading text is known. */
  #stringPart(expression: ts.Expression, frame: Frame): Val {
    const value = this.ev(expression, frame);
    if (!isEmpty(value) || value.text !== undefined || value.str) return value;
    const target = unwrap(expression);
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      const resolved = this.#resolver.stringOf(target);
      if (resolved?.complete) return { taints: [], text: resolved.text };
      if (resolved) {
        const leading = resolved.text.split('{')[0]!;
        return { taints: [], str: { leading, literal: leading } };
      }
    }
    return value;
  }

  #binary(node: ts.BinaryExpression, frame: Frame): Val {
    const operator = node.operatorToken.kind;
    if (operator === ts.SyntaxKind.EqualsToken) {
      const value = this.ev(node.right, frame);
      this.#assign(node.left, value, frame);
      return value;
    }
    if (operator === ts.SyntaxKind.PlusToken || operator === ts.SyntaxKind.PlusEqualsToken) {
      const left = this.#stringPart(node.left, frame);
      const right = this.#stringPart(node.right, frame);
      const built = build([left, right]);
      if (operator === ts.SyntaxKind.PlusEqualsToken) this.#assign(node.left, built, frame);
      return built;
    }
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      return join(this.ev(node.left, frame), this.ev(node.right, frame));
    }
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      this.ev(node.left, frame);
      return this.ev(node.right, frame);
    }
    if (
      operator === ts.SyntaxKind.BarBarEqualsToken ||
      operator === ts.SyntaxKind.QuestionQuestionEqualsToken
    ) {
      const value = join(this.ev(node.left, frame), this.ev(node.right, frame));
      this.#assign(node.left, value, frame);
      return value;
    }
    if (operator === ts.SyntaxKind.CommaToken) {
      this.ev(node.left, frame);
      return this.ev(node.right, frame);
    }
    // Comparisons and arithmetic: a boolean or a number.
    this.ev(node.left, frame);
    this.ev(node.right, frame);
    return EMPTY;
  }

  #object(node: ts.ObjectLiteralExpression, frame: Frame): Val {
    const props = new Map<string, Val>();
    let spread: Val = EMPTY;
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        const value = this.ev(property.expression, frame);
        // The spread object's own keys become this object's: whatever the caller sent.
        if (value.props) for (const [key, prop] of value.props) props.set(key, prop);
        spread = join(spread, { taints: value.taints });
        continue;
      }
      if (ts.isPropertyAssignment(property)) {
        const key = propertyNameText(property.name);
        const value = this.ev(property.initializer, frame);
        if (key) props.set(key, value);
        else
          spread = join(spread, {
            taints: deepTaints(value).map((t) => ({ ...t, cleared: t.cleared | BIT['mass-assignment'] })),
          });
      } else if (ts.isShorthandPropertyAssignment(property)) {
        props.set(property.name.text, this.ev(property.name, frame));
      } else if (ts.isMethodDeclaration(property) || ts.isGetAccessorDeclaration(property)) {
        const key = propertyNameText(property.name);
        if (key) props.set(key, { taints: [], fns: [property] });
      }
    }
    if (props.size === 0 && spread.taints.length === 0) return EMPTY;
    return withProps({ taints: spread.taints }, props);
  }

  #member(value: Val, name: string, node: ts.Node | undefined, frame: Frame): Val {
    if (value.role) return this.#roleMember(value.role, name, node, frame) ?? EMPTY;
    if (value.validated && name === value.validated.field) {
      return this.#checkedInFunction(frame.fn, value.validated.checkName)
        ? value.validated.value
        : value.validated.raw;
    }
    if (value.validated && (name === 'success' || name === 'error' || name === 'issues')) return EMPTY;
    const field = member(value, name);
    const serverFields = frame.ctx.serverFields;
    if (!serverFields) return field;
    return mapTaints(field, (taint) =>
      taint.origin.kind === 'request' &&
      taint.path.length === 1 &&
      serverFields.has(`${taint.origin.part}.${taint.path[0]}`)
        ? undefined
        : taint,
    );
  }

  /** `result.success` / `error` is tested somewhere in the function (`if (!parsed.success) return …`). */
  #checkedInFunction(fn: ts.FunctionLikeDeclaration, name: string): boolean {
    const text = fn.body?.getText() ?? '';
    const escaped = name.replace(/[$]/g, '\\$');
    return new RegExp(
      `\\b${escaped}\\s*\\??\\.\\s*(success|error|issues)\\b|\\b(if|&&|\\|\\||\\?)\\s*\\(?\\s*!?\\s*(success|error)\\b|throw\\s+\\w*[Ee]rror`,
    ).test(text);
  }

  // ——— request and response objects ———

  /** Creates a request-data value, validated by the route's validation for that part. */
  source(
    part: RequestPart,
    node: ts.Node,
    frame: { ctx: { validation: RequestValidation; flatQuery?: boolean } },
    field?: string,
  ): Val {
    const ctx = frame.ctx;
    const label = sourceLabel(node);
    const taint: Taint = {
      origin: { kind: 'request', part, label, at: this.step(node, label) },
      path: [],
      // Path parameters and headers arrive as strings: never an operator object or a set of fields.
      cleared:
        part === 'params' || part === 'headers'
          ? PRIMITIVE
          : part === 'query' && ctx.flatQuery
            ? BIT.nosql
            : 0,
      steps: [],
    };
    let value: Val = { taints: [taint] };
    if (part === 'files') value = filesValue(value);
    const validation =
      ctx.validation.get(part) ??
      (part !== 'headers' && part !== 'cookies' ? ctx.validation.get('any') : undefined);
    if (validation) {
      const info = field !== undefined ? fieldOf(validation, field) : validation;
      if (info) value = applySchema(value, info);
      else if (validation.strips) return EMPTY;
    }
    return value;
  }

  #roleMember(role: Role, name: string, node: ts.Node | undefined, frame: Frame): Val | undefined {
    const at = node ?? frame.fn;
    switch (role) {
      case 'request':
      case 'koa-request': {
        if (name === 'request') return role === 'request' ? { taints: [], role: 'request' } : undefined;
        const part = requestPart(name);
        return part ? this.source(part, at, frame) : undefined;
      }
      case 'koa-ctx': {
        if (name === 'request') return { taints: [], role: 'koa-request' };
        // `ctx.cookies.get(name)`; the body is only on `ctx.request`.
        if (name === 'cookies') return { taints: [], role: 'koa-cookies' };
        const part = requestPart(name);
        return part && part !== 'body' && part !== 'files' ? this.source(part, at, frame) : undefined;
      }
      case 'hono-ctx':
        return name === 'req' ? { taints: [], role: 'hono-request' } : undefined;
      case 'web-request': {
        if (name === 'nextUrl') return { taints: [], role: 'url' };
        const part = /^(headers|cookies|body|query)$/.test(name) ? requestPart(name) : undefined;
        return part ? this.source(part, at, frame) : undefined;
      }
      case 'url':
        return name === 'searchParams' ? this.source('query', at, frame) : undefined;
      case 'next-context':
        return name === 'params' ? this.source('params', at, frame) : undefined;
      case 'trpc-options':
        return name === 'input' ? this.source('input', at, frame) : undefined;
      case 'arguments-host':
        return undefined;
      default:
        return undefined;
    }
  }

  /** Method calls on the framework's objects; undefined when the call is not one of them. */
  #roleCall(
    role: Role,
    method: string,
    call: ts.CallExpression,
    args: readonly Val[],
    frame: Frame,
  ): Val | undefined {
    const key = literalText(call.arguments[0]);
    const field = (part: RequestPart) => this.source(part, call, frame, key);
    switch (role) {
      case 'request':
      case 'koa-request':
        if (method === 'get' || method === 'header') return field('headers');
        if (method === 'param') return field('params');
        if (/^(file|files|parts|saveRequestFiles)$/.test(method)) {
          // @fastify/multipart: `filename` is the name the client sent, not one generated like multer's.
          const value = this.source('files', call, frame);
          const props = new Map(value.props ?? []);
          props.delete('filename');
          return withProps(value, props);
        }
        return undefined;
      case 'koa-ctx':
        if (method === 'get') return field('headers');
        return undefined;
      case 'koa-cookies':
        return method === 'get' ? field('cookies') : undefined;
      case 'hono-request':
        switch (method) {
          case 'query':
          case 'queries':
            return field('query');
          case 'param':
            return field('params');
          case 'header':
            return field('headers');
          case 'json':
          case 'parseBody':
          case 'formData':
          case 'text':
          case 'arrayBuffer':
          case 'blob':
            return this.source('body', call, frame);
          case 'valid': {
            const target = key ?? 'json';
            const part = (Object.hasOwn(HONO_TARGETS, target) ? HONO_TARGETS[target] : undefined) ?? 'body';
            const validation = frame.ctx.validation.get(part);
            const raw = this.source(part, call, frame);
            return validation ? raw : clear(raw, TYPED, 'c.req.valid()');
          }
          default:
            return undefined;
        }
      case 'web-request':
        if (/^(json|formData|text|arrayBuffer|blob)$/.test(method)) return this.source('body', call, frame);
        return undefined;
      case 'url':
        return undefined;
      case 'arguments-host':
        if (method === 'switchToHttp') return { taints: [], role: 'arguments-host' };
        if (method === 'getResponse') return { taints: [], role: 'response' };
        if (method === 'getRequest') return { taints: [], role: 'request' };
        return undefined;
      case 'response':
        // `res.status(500)`, `reply.code(400)`, `res.set(...)`: the same response, for chained calls.
        if (
          /^(status|code|type|set|header|headers|cookie|clearCookie|vary|append|attachment|links|contentType|setHeader)$/.test(
            method,
          )
        ) {
          void args;
          return { taints: [], role: 'response' };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  // ——— calls ———

  /** `parts.push(\`name = '${req.body.name}'\`)`: the local collection now holds the value (later `parts.join()`). */
  #collect(receiver: ts.Expression, method: string, args: readonly Val[], frame: Frame): void {
    if (!/^(push|unshift|splice|add)$/.test(method)) return;
    const target = unwrap(receiver);
    if (!ts.isIdentifier(target) || !frame.env.has(target.text)) return;
    const added = joinAll(method === 'splice' ? args.slice(2) : args);
    if (!isTainted(added)) return;
    const current = frame.env.get(target.text) ?? EMPTY;
    const updated = { ...current, taints: [...current.taints, ...deepTaints(added)] };
    // `const same = list; same.push(x)`: every name bound to the same collection sees the element.
    if (current !== EMPTY)
      for (const [name, bound] of frame.env) if (bound === current) frame.env.set(name, updated);
    frame.env.set(target.text, updated);
  }

  #call(node: ts.CallExpression, frame: Frame): Val {
    const callee = unwrap(node.expression);
    let receiver: ts.Expression | undefined;
    let receiverValue: Val | undefined;
    let method: string | undefined;
    if (ts.isPropertyAccessExpression(callee)) {
      receiver = callee.expression;
      method = callee.name.text;
      receiverValue = this.ev(callee.expression, frame);
    } else if (ts.isElementAccessExpression(callee) && literalText(callee.argumentExpression)) {
      receiver = callee.expression;
      method = literalText(callee.argumentExpression);
      receiverValue = this.ev(callee.expression, frame);
    } else if (ts.isNewExpression(callee) || ts.isCallExpression(callee)) {
      // `new Function(code)()`, `makeQuery(req.body)()`: the callee is itself a call that may be a sink.
      this.ev(callee, frame);
    }
    const args = node.arguments.map((argument) => this.ev(argument, frame));
    if (receiver && method && !receiverValue?.role) this.#collect(receiver, method, args, frame);
    if (receiverValue?.role && method) {
      const roleResult = this.#roleCall(receiverValue.role, method, node, args, frame);
      this.#checkSinks(node, callee, receiver, receiverValue, method, args, frame);
      if (roleResult) return roleResult;
      this.#callbacks(node, args, receiverValue, method, frame);
      return EMPTY;
    }
    // A closure defined in this handler sees the handler's variables: always followed.
    const local = ts.isIdentifier(callee) ? frame.env.get(callee.text) : undefined;
    if (local?.fns) {
      let result: Val = EMPTY;
      for (const fn of local.fns.slice(0, 3)) result = join(result, this.#invoke(fn, args, node, frame));
      return result;
    }
    const interesting =
      args.some((arg) => isTainted(arg) || arg.role || arg.fns || arg.props) ||
      (receiverValue && (isTainted(receiverValue) || receiverValue.fns));
    if (!interesting) return EMPTY;
    const transformed = this.#transform(node, callee, method, receiver, receiverValue, args, frame);
    if (transformed) return transformed;
    // Project functions: closures inline, others through their summary.
    const functions = local ? [] : this.#projectFunctions(callee, receiverValue, method);
    if (functions.length > 0) {
      let result: Val = EMPTY;
      for (const fn of functions.slice(0, 3)) result = join(result, this.#invoke(fn, args, node, frame));
      return result;
    }
    this.#checkSinks(node, callee, receiver, receiverValue, method, args, frame);
    const callbackResult = this.#callbacks(node, args, receiverValue, method, frame);
    if (receiverValue && method && isTainted(receiverValue) && PASS_THROUGH.test(method)) {
      if (method === 'get' || method === 'getAll') {
        const key = literalText(node.arguments[0]);
        return key ? member(receiverValue, key) : elementOf(receiverValue);
      }
      if (/^(map|flatMap)$/.test(method)) {
        // An inline callback ran on the elements: its results are the new array (`(_, i) => `$${i + 1}``).
        const callback = node.arguments[0] && unwrap(node.arguments[0]);
        if (callback && isFunctionLike(callback)) return callbackResult;
        return join(elementOf(receiverValue), callbackResult);
      }
      if (/^(then)$/.test(method)) return callbackResult;
      if (/^(split|entries|values|keys)$/.test(method)) return { taints: deepTaints(receiverValue) };
      return receiverValue;
    }
    // `Object.assign({}, req.body)`, `structuredClone(x)`, `JSON.parse(x)`, `Object.fromEntries(...)`.
    const name = dottedName(callee) ?? '';
    if (
      /^(Object\.assign|structuredClone|JSON\.parse|Object\.fromEntries|Object\.values|Object\.entries|Array\.from|Buffer\.from|decodeURIComponent|decodeURI|path\.join|path\.resolve|path\.normalize|join|resolve|normalize|util\.format|format|querystring\.stringify|qs\.stringify|URLSearchParams)$/.test(
        name,
      )
    ) {
      return this.#passArguments(name, node, args);
    }
    return callbackResult.taints.length > 0 ? callbackResult : EMPTY;
  }

  #passArguments(name: string, node: ts.CallExpression, args: readonly Val[]): Val {
    if (/^(path\.)?(join|resolve|normalize)$/.test(name) || /format$/.test(name)) {
      const parts = node.arguments.map((_argument, index) => {
        const value = args[index] ?? EMPTY;
        if (!isEmpty(value) || value.text !== undefined) return value;
        // `__dirname`, `process.cwd()`, a configured folder: an absolute base the attacker does not choose.
        return { taints: [], text: '<base>' };
      });
      const joined = build(
        parts.flatMap((part, index) => (index === 0 ? [part] : [{ taints: [], text: '/' }, part])),
      );
      return joined;
    }
    if (name === 'Object.assign') return joinAll(args);
    if (/stringify$/.test(name)) return stringified(joinAll(args));
    return joinAll(args);
  }

  /** Validation, coercion and sanitising calls: the value they return, or undefined when the call is not one. */
  #transform(
    node: ts.CallExpression,
    callee: ts.Expression,
    method: string | undefined,
    receiver: ts.Expression | undefined,
    receiverValue: Val | undefined,
    args: readonly Val[],
    frame: Frame,
  ): Val | undefined {
    const name = calleeName(callee) ?? '';
    const first = args[0] ?? EMPTY;
    if (!method) {
      if (NUMBER_FUNCTIONS.test(name)) return EMPTY;
      if (name === 'String') return stringified(first);
      if (/^(encodeURIComponent|encodeURI|escape)$/.test(name))
        return clear(stringified(first), BIT.path | BIT.redirect | BIT.ssrf, `${name}()`);
    } else {
      const full = dottedName(callee) ?? '';
      if (/^(Number\.(parseInt|parseFloat|isInteger|isSafeInteger|isNaN|isFinite)|Math\.\w+)$/.test(full))
        return EMPTY;
      if (/^(toString|toLocaleString)$/.test(method) && receiverValue) return stringified(receiverValue);
      if (/^(length|size)$/.test(method)) return EMPTY;
      if (/^(includes|startsWith|endsWith|test|has|indexOf|match|localeCompare|equals)$/.test(method))
        return EMPTY;
      if (full === 'JSON.stringify') return stringified(first);
    }
    const binding =
      (!method && ts.isIdentifier(callee)) || (method && receiver) ? this.#importOf(callee) : undefined;
    const module = binding?.module ?? '';
    // Hono's `getCookie(c, 'name')` and `getSignedCookie(c, secret, 'name')` read the request's cookies.
    if (module === 'hono/cookie' && /^get(Signed)?Cookie$/.test(binding!.name) && first.role === 'hono-ctx') {
      const key = literalText(node.arguments[binding!.name === 'getCookie' ? 1 : 2]);
      return this.source('cookies', node, frame, key);
    }
    // Sanitisers by package.
    if (/^(mongo-sanitize|express-mongo-sanitize)$/.test(module))
      return clear(first, BIT.nosql, `${module} (${this.#position(node).file}:${this.#position(node).line})`);
    if (module === 'mongoose' && /sanitizeFilter$/.test(binding!.name))
      return clear(first, BIT.nosql, 'sanitizeFilter()');
    if (
      /^(sqlstring|mysql2?|pg-format|pg-escape)$/.test(module) ||
      (/^(escape|escapeLiteral|escapeIdentifier|escapeId|format)$/.test(method ?? '') &&
        /^(connection|pool|db|client|mysql|SqlString|sqlstring)$/i.test(
          receiver ? shortText(receiver, 30) : '',
        ))
    )
      return clear(stringified(first), BIT.sql, `${shortText(callee, 30)}()`);
    if (/^(shell-quote|shell-escape|shlex|any-shell-escape)$/.test(module))
      return clear(stringified(first), BIT.command, module);
    if (module === 'sanitize-filename' || (/^(node:)?path$/.test(module) && /basename$/.test(binding!.name)))
      return clear(stringified(first), BIT.path, `${shortText(callee, 30)}()`);
    if (!method && name === 'basename') return clear(stringified(first), BIT.path, 'basename()');
    if (method === 'basename' && receiver && /^path$/.test(shortText(receiver, 10)))
      return clear(stringified(first), BIT.path, 'path.basename()');
    if (
      module === 'validator' &&
      /^(escape|toInt|toFloat|toBoolean|toDate|whitelist|blacklist|stripLow|normalizeEmail)$/.test(
        binding!.name.replace(/^default\./, ''),
      )
    ) {
      const fn = binding!.name.replace(/^default\./, '');
      return /^to/.test(fn)
        ? EMPTY
        : fn === 'whitelist'
          ? clear(first, FORMAT, 'validator.whitelist()')
          : stringified(first);
    }
    // Validation libraries.
    const validated = this.#validationCall(node, callee, method, receiver, args, binding, frame);
    if (validated) return validated;
    if (!method && /^(plainToInstance|plainToClass)$/.test(name)) return args[1] ?? EMPTY;
    return undefined;
  }

  #validationCall(
    node: ts.CallExpression,
    callee: ts.Expression,
    method: string | undefined,
    receiver: ts.Expression | undefined,
    args: readonly Val[],
    binding: { module: string; name: string } | undefined,
    frame: Frame,
  ): Val | undefined {
    const first = args[0] ?? EMPTY;
    // zod / joi / yup / valibot methods on a schema.
    if (
      method &&
      receiver &&
      /^(parse|parseAsync|safeParse|safeParseAsync|spa|validate|validateAsync|validateSync|cast|decode|encode)$/.test(
        method,
      )
    ) {
      if (!isTainted(first) && !first.props) return method.startsWith('safe') ? EMPTY : undefined;
      const info = this.#schemas.read(receiver);
      if (!info) {
        // TypeBox `Value.Parse(T, x)` / `Value.Decode(T, x)`.
        if (/^Value$/.test(shortText(receiver, 10)) && /^(Parse|Decode)$/.test(method)) return undefined;
        return undefined;
      }
      if (method === 'cast') return first;
      const value = applySchema(first, info);
      if (/^(safeParse|safeParseAsync|spa)$/.test(method))
        return { taints: [], validated: { value, raw: first, field: 'data', checkName: resultName(node) } };
      if (method === 'validate' && node.parent && !ts.isAwaitExpression(node.parent)) {
        // joi: `{ error, value }` (yup's `validate` is awaited and throws).
        return { taints: [], validated: { value, raw: first, field: 'value', checkName: resultName(node) } };
      }
      return value;
    }
    if (
      method &&
      receiver &&
      /^(Parse|Decode|Clean)$/.test(method) &&
      /Value$/.test(shortText(receiver, 20))
    ) {
      const info = this.#schemas.read(node.arguments[0]);
      return info ? applySchema(args[1] ?? EMPTY, info) : undefined;
    }
    const name = binding?.name.replace(/^default\./, '') ?? calleeName(callee) ?? '';
    if (binding?.module === 'valibot' || (method && receiver && shortText(receiver, 5) === 'v')) {
      const fn = method ?? name;
      if (/^(parse|parseAsync)$/.test(fn)) {
        const info = this.#schemas.read(node.arguments[0]);
        return info ? applySchema(args[1] ?? EMPTY, info) : undefined;
      }
      if (/^(safeParse|safeParseAsync)$/.test(fn)) {
        const info = this.#schemas.read(node.arguments[0]);
        if (!info) return undefined;
        return {
          taints: [],
          validated: {
            value: applySchema(args[1] ?? EMPTY, info),
            raw: args[1] ?? EMPTY,
            field: 'output',
            checkName: resultName(node),
          },
        };
      }
    }
    if (binding?.module === 'joi' && /^(attempt|assert)$/.test(name)) {
      const info = this.#schemas.read(node.arguments[1]);
      return info ? applySchema(first, info) : undefined;
    }
    if (binding?.module === 'express-validator' && name === 'matchedData') {
      const parts = [...frame.ctx.validation.entries()];
      if (parts.length === 0) return EMPTY;
      const props = new Map<string, Val>();
      for (const [part, info] of parts) {
        for (const [field, fieldInfo] of info.fields ?? []) {
          props.set(
            field,
            applySchema(member(this.source(part === 'any' ? 'body' : part, node, frame), field), fieldInfo),
          );
        }
      }
      return withProps(EMPTY, props);
    }
    return undefined;
  }

  /** Project functions a call may run: closures in scope, then declarations resolved through the checker. */
  #projectFunctions(
    callee: ts.Expression,
    receiverValue: Val | undefined,
    method: string | undefined,
  ): ts.FunctionLikeDeclaration[] {
    if (method && receiverValue?.props?.get(method)?.fns) return [...receiverValue.props.get(method)!.fns!];
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return [];
    return this.#resolver
      .functionsOf(callee)
      .filter((fn) => fn.body && this.#isProjectFile(fn.getSourceFile()));
  }

  #invoke(fn: ts.FunctionLikeDeclaration, args: readonly Val[], call: ts.CallExpression, frame: Frame): Val {
    const nested = isInside(fn, frame.ctx.root) || isInside(fn, frame.fn);
    const carriesRole = args.some((arg) => arg.role);
    if (nested || carriesRole) {
      if (frame.ctx.depth >= MAX_CALL_DEPTH) return EMPTY;
      const step = this.step(call, `${calleeName(call.expression) ?? 'call'}(…)`);
      const passed = nested ? args : args.map((arg) => mapTaints(arg, (taint) => addStep(taint, step)));
      const ctx = { ...frame.ctx, depth: frame.ctx.depth + 1 };
      return this.run(fn, passed, ctx, nested ? frame.env : undefined);
    }
    const summary = this.#summary(fn, frame.ctx.depth + 1);
    return this.#instantiate(summary, args, call, frame);
  }

  #summary(fn: ts.FunctionLikeDeclaration, depth: number): Summary {
    const cached = this.#summaries.get(fn);
    if (cached) return cached;
    const empty: Summary = { sinks: [], concrete: [], returns: EMPTY };
    if (this.#inProgress.has(fn) || depth > MAX_CALL_DEPTH) return empty;
    this.#inProgress.add(fn);
    const summary: Summary = { sinks: [], concrete: [], returns: EMPTY };
    try {
      const ctx: AnalysisContext = {
        mode: 'summary',
        framework: 'express',
        validation: new Map(),
        expressValidatorChecked: false,
        returnIsResponse: false,
        record: (hit) => {
          if (hit.taint.origin.kind === 'param') {
            if (summary.sinks.length < 50) summary.sinks.push(hit);
          } else if (summary.concrete.length < 20) summary.concrete.push(hit);
        },
        budget: { nodes: SUMMARY_BUDGET },
        depth,
        root: fn,
      };
      const params = fn.parameters.map(
        (_, index): Val => ({
          taints: [{ origin: { kind: 'param', index }, path: [], cleared: 0, steps: [] }],
        }),
      );
      summary.returns = this.run(fn, params, ctx);
    } finally {
      this.#inProgress.delete(fn);
    }
    this.#summaries.set(fn, summary);
    return summary;
  }

  #instantiate(summary: Summary, args: readonly Val[], call: ts.CallExpression, frame: Frame): Val {
    const step = this.step(call, `${calleeName(call.expression) ?? 'call'}(…)`);
    for (const hit of summary.sinks) {
      const origin = hit.taint.origin;
      if (origin.kind !== 'param') continue;
      const argument = this.#path(args[origin.index] ?? EMPTY, hit.taint.path, frame);
      const taints = hit.match.own ? argument.taints : deepTaints(argument);
      for (const taint of taints) {
        const combined = compose(taint, hit.taint, step);
        if (this.fires(hit.match, combined)) frame.ctx.record({ ...hit, taint: combined });
      }
    }
    for (const hit of summary.concrete) frame.ctx.record(hit);
    return this.#substitute(summary.returns, args, step, frame, 0);
  }

  #path(value: Val, path: readonly string[], frame: Frame): Val {
    let current = value;
    for (const name of path) current = this.#member(current, name, undefined, frame);
    return current;
  }

  #substitute(value: Val, args: readonly Val[], step: FlowStep, frame: Frame, depth: number): Val {
    if (isEmpty(value) || depth > 3) return value.role ? EMPTY : value;
    let result: Val = { taints: [] };
    const kept: Taint[] = [];
    for (const taint of value.taints) {
      if (taint.origin.kind !== 'param') {
        kept.push(taint);
        continue;
      }
      const argument = this.#path(args[taint.origin.index] ?? EMPTY, taint.path, frame);
      result = join(
        result,
        mapTaints(argument, (inner) => compose(inner, { ...taint, path: [] }, step)),
      );
    }
    result = join(result, { taints: kept });
    if (value.props) {
      const props = new Map(result.props ?? []);
      for (const [key, prop] of value.props)
        props.set(key, this.#substitute(prop, args, step, frame, depth + 1));
      result = withProps(result, props);
    }
    if (value.validated)
      result = {
        ...result,
        validated: {
          ...value.validated,
          value: this.#substitute(value.validated.value, args, step, frame, depth + 1),
          raw: this.#substitute(value.validated.raw, args, step, frame, depth + 1),
        },
      };
    return result;
  }

  /** Functions passed as arguments run here: iteration callbacks see the elements, `.then` the value, `.catch` the error. */
  #callbacks(
    node: ts.CallExpression,
    args: readonly Val[],
    receiverValue: Val | undefined,
    method: string | undefined,
    frame: Frame,
  ): Val {
    let result: Val = EMPTY;
    args.forEach((arg, index) => {
      if (!arg.fns || frame.ctx.depth >= MAX_CALL_DEPTH + 1) return;
      for (const fn of arg.fns.slice(0, 2)) {
        if (!isInside(fn, frame.ctx.root) && !isInside(fn, frame.fn)) continue;
        let params: Val[] = [];
        if (receiverValue && method && ITERATION.test(method)) {
          const element = elementOf(receiverValue);
          params = method.startsWith('reduce') ? [EMPTY, element] : [element];
        } else if (method === 'then' && receiverValue)
          params = index === 0 ? [receiverValue] : [this.#promiseError(fn)];
        else if (method === 'catch') params = [this.#promiseError(fn)];
        const ctx = { ...frame.ctx, depth: frame.ctx.depth + 1 };
        const returned = this.run(fn, params, ctx, frame.env);
        result = join(result, returned);
        if (
          method === 'catch' &&
          frame.ctx.mode === 'handler' &&
          frame.ctx.catches &&
          isInside(node, frame.ctx.root) &&
          isEmptyFunction(fn) &&
          !(fn.body && explainsItself(fn.body)) &&
          isAwaitedOrReturned(node)
        )
          frame.ctx.catches.push({ clause: node, kind: 'ignored' });
        else if (
          method === 'catch' &&
          frame.ctx.mode === 'handler' &&
          frame.ctx.catches &&
          isInside(node, frame.ctx.root) &&
          this.#answersOnlyOnSuccess(node, fn, frame)
        )
          frame.ctx.catches.push({ clause: node, kind: 'no-response' });
      }
    });
    return result;
  }

  /**
   * `work().then(() => reply.send(…)).catch((err) => log(err))` as a statement of its own: the answer is in `.then`
   * only, so a failure leaves the request without one.
   */
  #answersOnlyOnSuccess(
    call: ts.CallExpression,
    callback: ts.FunctionLikeDeclaration,
    frame: Frame,
  ): boolean {
    if (!ts.isExpressionStatement(call.parent) || !callback.body) return false;
    const roles = (node: ts.Node): Role | undefined => {
      const root = rootIdentifier(node);
      return root ? frame.env.get(root)?.role : undefined;
    };
    const nextName = this.#nextName(frame);
    if (respondsIn(callback.body, roles, nextName, false)) return false;
    let answered = false;
    let receiver = ts.isPropertyAccessExpression(call.expression)
      ? unwrap(call.expression.expression)
      : undefined;
    while (receiver && ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) {
      if (
        receiver.expression.name.text === 'then' &&
        receiver.arguments.some((argument) => respondsIn(argument, roles, nextName, false))
      )
        answered = true;
      receiver = unwrap(receiver.expression.expression);
    }
    const returnAnswers = frame.ctx.returnIsResponse || frame.ctx.framework === 'nextjs';
    return answered && !respondsAfter(call.parent, frame.ctx.root, roles, nextName, returnAnswers);
  }

  #promiseError(fn: ts.FunctionLikeDeclaration): Val {
    const parameter = fn.parameters[0];
    return parameter ? this.#errorValue(parameter.name, 'catch') : EMPTY;
  }

  #new(node: ts.NewExpression, frame: Frame): Val {
    const callee = unwrap(node.expression);
    const args = (node.arguments ?? []).map((argument) => this.ev(argument, frame));
    const name = dottedName(callee) ?? '';
    const last = calleeName(callee) ?? '';
    if (last === 'URL') {
      const input = unwrap(node.arguments?.[0] ?? node);
      if (ts.isPropertyAccessExpression(input) && input.name.text === 'url') {
        const base = this.ev(input.expression, frame);
        if (base.role === 'web-request' || base.role === 'request') return { taints: [], role: 'url' };
      }
      const base = args[1];
      if (base && (base.text || base.str) && args[0]) {
        // `new URL(path, base)`: an absolute `path` still replaces the base.
        return args[0];
      }
      return args[0] ?? EMPTY;
    }
    if (last === 'URLSearchParams') return joinAll(args);
    if (FORMAT_CONSTRUCTORS.test(name) || FORMAT_CONSTRUCTORS.test(last)) return EMPTY;
    if (/^(Response|NextResponse)$/.test(last)) {
      const status = statusFromInit(node.arguments?.[1]);
      this.#checkResponse(args[0] ?? EMPTY, node, frame, status);
      return EMPTY;
    }
    if (
      /Exception$/.test(last) ||
      last === 'TRPCError' ||
      last === 'HTTPException' ||
      /^(HttpError|createError)$/.test(last)
    ) {
      const value =
        last === 'TRPCError' || last === 'HTTPException'
          ? this.#member(joinAll(args), 'message', undefined, frame)
          : (args[0] ?? EMPTY);
      const status = exceptionStatus(last, node);
      if (this.#isResponseException(callee, last)) this.#checkResponse(value, node, frame, status);
      return EMPTY;
    }
    if (last === 'Promise') {
      const executor = args[0];
      if (executor?.fns)
        for (const fn of executor.fns)
          this.run(fn, [], { ...frame.ctx, depth: frame.ctx.depth + 1 }, frame.env);
      return EMPTY;
    }
    if (/^(AdmZip|Zip|JSZip)$/.test(last)) return args[0] ?? EMPTY;
    const interesting = args.some((arg) => isTainted(arg));
    if (!interesting) return EMPTY;
    const shape: CallShape = { call: node, callee, args: node.arguments ?? [], isNew: true };
    this.#checkMatches(shape, matchSinks(shape, this.#sinkContext), args, frame);
    return EMPTY;
  }

  /** NestJS `HttpException` family and tRPC/Hono errors send their message to the client. */
  #isResponseException(callee: ts.Expression, last: string): boolean {
    if (last === 'TRPCError' || last === 'HTTPException') return true;
    const binding = this.#importOf(callee);
    return !!binding && /^@nestjs\//.test(binding.module);
  }

  // ——— sinks ———

  #checkSinks(
    node: ts.CallExpression,
    callee: ts.Expression,
    receiver: ts.Expression | undefined,
    receiverValue: Val | undefined,
    method: string | undefined,
    args: readonly Val[],
    frame: Frame,
  ): void {
    if (!args.some((arg) => isTainted(arg))) return;
    const shape: CallShape = {
      call: node,
      callee,
      ...(method ? { method } : {}),
      ...(receiver ? { receiver } : {}),
      ...(receiverValue?.role ? { receiverRole: receiverValue.role } : {}),
      args: node.arguments,
      isNew: false,
      framework: frame.ctx.framework,
    };
    const matches = matchSinks(shape, this.#sinkContext);
    if (matches.length === 0) return;
    const status = responseStatus(node);
    this.#checkMatches(shape, matches, args, frame, status);
  }

  #checkMatches(
    shape: CallShape,
    matches: readonly SinkMatch[],
    args: readonly Val[],
    frame: Frame,
    status?: number,
  ): void {
    const name = sinkName(shape);
    const range = this.#range(shape.call);
    const step = this.step(shape.call, name);
    for (const match of matches) {
      const indexes = match.args === 'all' ? args.map((_, index) => index) : match.args;
      for (const index of indexes) {
        let value = args[index];
        if (!value) continue;
        if (match.props) {
          const parts = match.props.map((prop) =>
            match.code ? findProp(value!, prop, 0) : this.#member(value!, prop, undefined, frame),
          );
          if (match.code || match.own || args[index]!.props) value = joinAll(parts);
          // An opaque value (a string, an object from elsewhere) may be or hold the property: the value itself
          // is what arrives, named as it is (`url`, not `url.url`).
          else if (args[index]!.taints.length === 0) value = joinAll(parts);
        }
        const taints = match.own ? value.taints : deepTaints(value);
        for (const taint of taints) {
          if (this.fires(match, taint))
            frame.ctx.record({ match, taint, range, step, ...(status !== undefined ? { status } : {}) });
        }
      }
    }
  }

  #checkResponse(
    value: Val,
    node: ts.Node,
    frame: Frame,
    status: number | undefined,
    sinkName?: string,
  ): void {
    const errors = deepTaints(value).filter((taint) => taint.origin.kind === 'error');
    if (errors.length === 0) return;
    const match: SinkMatch = { class: 'response', name: 'response', args: [0], by: 'library' };
    const name =
      sinkName ??
      (ts.isBinaryExpression(node.parent) ? `${shortText(node, 30)} =` : shortText(node, 40).split('(')[0]!);
    const range = this.#range(node);
    const step = this.step(node, name);
    for (const taint of errors)
      frame.ctx.record({
        match: { ...match, name },
        taint,
        range,
        step,
        ...(status !== undefined ? { status } : {}),
      });
  }

  #returnedAsResponse(value: Val, node: ts.Expression, frame: Frame): void {
    if (!frame.ctx.returnIsResponse || frame.ctx.mode !== 'handler') return;
    this.#checkResponse(value, node, frame, undefined, "the handler's return value");
    if (!frame.ctx.returnRedirects) return;
    const match: SinkMatch = { class: 'redirect', name: '@Redirect() url', args: [0], by: 'library' };
    const range = this.#range(node);
    const step = this.step(node, match.name);
    for (const taint of deepTaints(this.#member(value, 'url', undefined, frame)))
      if (this.fires(match, taint)) frame.ctx.record({ match, taint, range, step });
  }

  /** Whether a taint reaching a sink is a finding for that sink (before the rules judge it). */
  fires(match: SinkMatch, taint: Taint): boolean {
    if (taint.origin.kind === 'error') return match.class === 'response';
    if (match.class === 'response') return false;
    const bit = match.code ? BIT.code : BIT[match.class];
    if (taint.cleared & bit) return false;
    if (match.needs === 'built' && !taint.built) return false;
    if (match.needs === 'sql-text' && !(taint.built && looksLikeSql(taint.built.literal))) return false;
    if (
      (match.class === 'redirect' || match.class === 'ssrf') &&
      taint.built &&
      fixedDestination(taint.built.leading)
    )
      return false;
    return true;
  }

  // ——— receivers ———

  #importOf(node: ts.Node): ReturnType<Resolver['importOf']> {
    return this.#resolver.importOf(node);
  }

  /** A Mongoose model or query, a MongoDB collection: declared in a file that imports mongoose or mongodb. */
  #isMongo(receiver: ts.Expression): boolean {
    const target = unwrap(receiver);
    const cached = this.#mongo.get(target);
    if (cached !== undefined) return cached;
    this.#mongo.set(target, false);
    let result = false;
    if (ts.isCallExpression(target)) {
      const name = calleeName(target.expression) ?? '';
      if (/^(collection|model|getCollection)$/.test(name)) result = true;
      else if (ts.isPropertyAccessExpression(unwrap(target.expression)))
        result = this.#isMongo((unwrap(target.expression) as ts.PropertyAccessExpression).expression);
    } else if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        const sourceFile = declaration.getSourceFile();
        if (sourceFile.isDeclarationFile) continue;
        // `const products = db.collection('products')` in a file that imports the client from another module.
        if (
          ts.isVariableDeclaration(declaration) &&
          declaration.initializer &&
          ts.isCallExpression(unwrap(declaration.initializer)) &&
          this.#isMongo(declaration.initializer)
        ) {
          result = true;
          break;
        }
        if (
          MONGO_IMPORT.test(sourceFile.text) &&
          /\b(model|Model|collection|Collection|Schema|ReturnModelType|InjectModel|getModelForClass)\b/.test(
            declaration.getText().slice(0, 400),
          )
        ) {
          result = true;
          break;
        }
        if (
          ts.isParameter(declaration) &&
          declaration.type &&
          /\b(Model|Collection)\b/.test(declaration.type.getText())
        ) {
          result = true;
          break;
        }
      }
    }
    this.#mongo.set(target, result);
    return result;
  }

  /** An ORM model, repository, entity manager, query builder or database client. */
  #isPersistence(receiver: ts.Expression): boolean {
    const target = unwrap(receiver);
    const cached = this.#persistence.get(target);
    if (cached !== undefined) return cached;
    let result = false;
    const name = ts.isIdentifier(target)
      ? target.text
      : ts.isPropertyAccessExpression(target)
        ? target.name.text
        : ts.isCallExpression(target)
          ? (calleeName(target.expression) ?? '')
          : '';
    if (PERSISTENCE_NAME.test(name)) result = true;
    else if (
      ts.isCallExpression(target) &&
      /^(getRepository|getCustomRepository|getMongoRepository|createQueryBuilder|from|table|into|knex|db|getManager|getConnection|collection|model|withSchema|transacting)$/.test(
        name,
      )
    )
      result = true;
    else if (ts.isIdentifier(target) && /^[A-Z]/.test(target.text) && !BUILT_INS.test(target.text)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        const sourceFile = declaration.getSourceFile();
        if (!sourceFile.isDeclarationFile && ORM_IMPORT.test(sourceFile.text)) {
          result = true;
          break;
        }
      }
    } else if (ts.isPropertyAccessExpression(target) || ts.isIdentifier(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        const type =
          (ts.isParameter(declaration) ||
            ts.isPropertyDeclaration(declaration) ||
            ts.isVariableDeclaration(declaration)) &&
          declaration.type
            ? declaration.type.getText()
            : '';
        if (
          /\b(Repository|EntityManager|Model|Collection|PrismaClient|Knex|Sequelize|DataSource|Pool|PoolClient|Client|Connection|Db|MongoRepository|EntityRepository|ModelStatic|ModelCtor|PrismaService|DrizzleDB|NodePgDatabase|MySql2Database|LibSQLDatabase|BetterSQLite3Database|Kysely)\b/.test(
            type,
          )
        ) {
          result = true;
          break;
        }
      }
    }
    this.#persistence.set(target, result);
    return result;
  }

  // ——— catches ———

  #judgeCatch(clause: ts.CatchClause, frame: Frame): void {
    if (!isInside(clause, frame.fn) || nearestFunction(clause) !== frame.fn) return;
    // A catch in a helper the handler calls or in a callback (`try { return JSON.parse(x) } catch { return {} }`)
    // returns a fallback to its caller, which still answers the request: only the handler's own body is judged.
    if (nearestFunction(clause) !== frame.ctx.root) return;
    const ctx = frame.ctx;
    const roles = (node: ts.Node): Role | undefined => {
      const root = rootIdentifier(node);
      return root ? frame.env.get(root)?.role : undefined;
    };
    const nextName = this.#nextName(frame);
    if (ctx.middleware && VERIFY_CALL.test(clause.parent.tryBlock.getText())) {
      // Verification failed and the request goes on: by `next()` in the catch or after it, or (Fastify hooks,
      // which have no `next`) by simply returning.
      const rejects = respondsIn(clause.block, roles, undefined, false);
      const proceeds =
        (nextName && callsNextWithoutError(clause.block, nextName)) ||
        !nextName ||
        respondsAfter(clause.parent, frame.fn, roles, nextName, false);
      if (!rejects && proceeds) {
        ctx.catches!.push({ clause, kind: 'fail-open' });
        return;
      }
    }
    // A Next.js handler answers with whatever Response it returns.
    const returnAnswers = ctx.returnIsResponse || ctx.framework === 'nextjs';
    const responds = respondsIn(clause.block, roles, nextName, returnAnswers);
    if (responds) return;
    if (clause.block.statements.length === 0 && explainsItself(clause.block)) return;
    const after = respondsAfter(clause.parent, frame.fn, roles, nextName, returnAnswers);
    if (!after) ctx.catches!.push({ clause, kind: 'no-response' });
    else if (clause.block.statements.length === 0) ctx.catches!.push({ clause, kind: 'ignored' });
  }

  #nextName(frame: Frame): string | undefined {
    for (const [name, value] of frame.env) if (value.role === 'next') return name;
    return undefined;
  }
}

const MONGO_IMPORT =
  /['"](mongoose|mongodb|@nestjs\/mongoose|@typegoose\/typegoose|mongoist|monk|mongojs|marsdb|nedb|@seald-io\/nedb|nedb-promises)['"]/;
const ORM_IMPORT =
  /['"](mongoose|mongodb|sequelize|sequelize-typescript|typeorm|@mikro-orm\/[\w-]+|objection|bookshelf|waterline|dynamoose|@typegoose\/typegoose)['"]/;
const PERSISTENCE_NAME =
  /^(db|database|pool|client|conn|connection|knex|sequelize|sql|pg|mysql|dataSource|datasource|manager|entityManager|em|queryRunner|tx|trx|transaction|repo|prisma|orm|drizzle|kysely)$|(Repository|Repo|Model|Collection|Dao|Table|Db|DB|Prisma|Manager)$/;
const BUILT_INS =
  /^(Object|Array|JSON|Math|Promise|Reflect|Buffer|Date|Number|String|Boolean|Map|Set|WeakMap|URL|Intl|Symbol|RegExp|Error|Response|Request|Headers|Crypto|NextResponse)$/;
const VERIFY_CALL =
  /\b(verify|verifyAsync|jwtVerify|verifyToken|verifyIdToken|decode|authenticate|getUser|getSession|validateToken|checkToken)\s*\(/;
/** Request properties by name (Express, Koa, Fetch `Request`): `req.querystring` and `req.file` included. */
const REQUEST_PARTS: Record<string, RequestPart> = {
  body: 'body',
  query: 'query',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
  header: 'headers',
  cookies: 'cookies',
  files: 'files',
  file: 'files',
};
function requestPart(name: string): RequestPart | undefined {
  return Object.hasOwn(REQUEST_PARTS, name) ? REQUEST_PARTS[name] : undefined;
}
const HONO_TARGETS: Record<string, RequestPart> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
};

/** `req.body`, `c.req.query('q')`, `@Body() dto`: request field names are shown, other string contents are not. */
function sourceLabel(node: ts.Node): string {
  if (ts.isCallExpression(node)) {
    const key = literalText(node.arguments[0]);
    const callee = shortText(node.expression, 40);
    if (key !== undefined && /^[\w.$-]{1,40}$/.test(key)) return `${callee}('${key}')`;
    return `${callee}(${node.arguments.length > 0 ? '…' : ''})`;
  }
  if (ts.isParameter(node)) {
    const decorator = ts.canHaveDecorators(node) ? ts.getDecorators(node)?.[0] : undefined;
    const name = node.name.getText();
    return decorator ? `${sourceLabel(decorator.expression)} ${name}` : name;
  }
  return shortText(node, 50);
}

function fieldOf(info: SchemaInfo, field: string): SchemaInfo | undefined {
  return info.fields?.get(field) ?? (info.strips && info.fields ? undefined : info);
}

/** Uploaded files: the stored path and generated name are the server's; the original name and content are the caller's. */
function filesValue(value: Val): Val {
  const clean: Val = EMPTY;
  return withProps(
    value,
    new Map([
      ['path', clean],
      ['filename', clean],
      ['destination', clean],
      ['size', clean],
      ['fieldname', clean],
    ]),
  );
}

function compose(callerTaint: Taint, calleeTaint: Taint, step: FlowStep): Taint {
  const steps = [...callerTaint.steps, step, ...calleeTaint.steps];
  return {
    ...callerTaint,
    cleared: callerTaint.cleared | calleeTaint.cleared,
    ...(calleeTaint.built ? { built: calleeTaint.built } : {}),
    steps: steps.length > 10 ? [...steps.slice(0, 3), ...steps.slice(-7)] : steps,
    ...(callerTaint.evidence || calleeTaint.evidence
      ? { evidence: (callerTaint.evidence ?? calleeTaint.evidence)! }
      : {}),
    ...(callerTaint.errorPart ? { errorPart: composedErrorPart(callerTaint.errorPart, calleeTaint) } : {}),
  };
}

/** What part of an error a project function returns: `getErrorMessage(err)` gives its message, not the object. */
function composedErrorPart(
  callerPart: NonNullable<Taint['errorPart']>,
  calleeTaint: Taint,
): Taint['errorPart'] {
  if (callerPart !== 'object') return callerPart;
  if (calleeTaint.errorPart && calleeTaint.errorPart !== 'object') return calleeTaint.errorPart;
  const read = errorPartNamed(calleeTaint.path[0]);
  if (read) return read;
  // Converted to a string inside (`String(error)`, a template): what a client sees is its text.
  return (calleeTaint.cleared & PRIMITIVE) === PRIMITIVE ? 'message' : 'object';
}

/** A redirect or request target whose host the code fixes: `/users/…`, `https://api.example.com/…`. */
export function fixedDestination(leading: string): boolean {
  if (/^\/[^/\\]/.test(leading)) return true;
  if (/^\.\.?\//.test(leading)) return true;
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+[/?#]/i.test(leading);
}

function elementOf(value: Val): Val {
  if (value.role) return EMPTY;
  const taints = deepTaints(value);
  return taints.length > 0 ? { taints } : EMPTY;
}

function keysOf(value: Val): Val {
  const taints = deepTaints(value).map((taint) => ({ ...taint, cleared: taint.cleared | PRIMITIVE }));
  return taints.length > 0 ? { taints } : EMPTY;
}

function dropErrors(value: Val): Val {
  if (!value.taints.some((taint) => taint.origin.kind === 'error') && !value.props) return value;
  return mapTaints(value, (taint) => (taint.origin.kind === 'error' ? undefined : taint));
}

function findProp(value: Val, name: string, depth: number): Val {
  if (!value.props || depth > 4) return EMPTY;
  let found = value.props.get(name) ?? EMPTY;
  for (const prop of value.props.values()) found = join(found, findProp(prop, name, depth + 1));
  return found;
}

function mergeEnv(a: Map<string, Val>, b: Map<string, Val>): Map<string, Val> {
  if (a === b) return a;
  const merged = new Map(a);
  for (const [key, value] of b) {
    const existing = merged.get(key);
    merged.set(key, existing ? join(existing, value) : value);
  }
  return merged;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  if (node === container) return false;
  return (
    node.pos >= container.pos &&
    node.end <= container.end &&
    node.getSourceFile() === container.getSourceFile()
  );
}

function nearestFunction(node: ts.Node): ts.Node | undefined {
  let current = node.parent;
  while (current && !isFunctionLike(current)) current = current.parent;
  return current;
}

function rootIdentifier(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  for (;;) {
    if (ts.isIdentifier(current)) return current.text;
    if (
      ts.isPropertyAccessExpression(current) ||
      ts.isElementAccessExpression(current) ||
      ts.isCallExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isParenthesizedExpression(current) ||
      ts.isAwaitExpression(current)
    )
      current = current.expression;
    else return undefined;
  }
}

/** `process.exit()`, `process.abort()`: the statement ends the request's story. */
function isExitCall(expression: ts.Expression): boolean {
  const target = unwrap(expression);
  if (!ts.isCallExpression(target)) return false;
  const callee = dottedName(target.expression) ?? '';
  // Koa's `ctx.throw(400, …)` always throws an HttpError.
  return /^process\.(exit|abort)$/.test(callee) || /^(ctx|context)\.throw$/.test(callee);
}

function resultName(call: ts.CallExpression): string {
  let current: ts.Node = call.parent;
  while (ts.isAwaitExpression(current) || ts.isParenthesizedExpression(current)) current = current.parent;
  if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name)) return current.name.text;
  return 'result';
}

const RESPONSE_METHODS =
  /^(json|send|end|sendStatus|redirect|render|sendFile|download|jsonp|writeHead|code|status|text|html|body|notFound|newResponse|throw|assert|error)$/;

/** Whether a block ends the request: it responds, throws, returns a value, or hands the error on. */
function respondsIn(
  block: ts.Node,
  roleOf: (node: ts.Node) => Role | undefined,
  nextName: string | undefined,
  returnIsResponse: boolean,
): boolean {
  let responds = false;
  walk(block, (node) => {
    if (responds) return false;
    if (node !== block && isFunctionLike(node) && !ts.isArrowFunction(node)) return false;
    if (ts.isThrowStatement(node)) responds = true;
    else if (ts.isReturnStatement(node) && node.expression) {
      const returned = unwrap(node.expression);
      if (returnIsResponse || ts.isCallExpression(returned) || ts.isNewExpression(returned)) responds = true;
    } else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      if (ts.isIdentifier(callee) && callee.text === nextName) responds = true;
      else if (
        ts.isPropertyAccessExpression(callee) &&
        RESPONSE_METHODS.test(callee.name.text) &&
        roleOf(callee.expression) &&
        // `request.log.error(err)` (Fastify's logger) only logs.
        !/\.(log|logger)$/.test(callee.expression.getText())
      )
        responds = true;
      else if (
        node.arguments.some((argument) => {
          const role = roleOf(argument);
          return role === 'response' || role === 'koa-ctx' || role === 'hono-ctx' || role === 'next';
        })
      )
        responds = true;
      else if (ts.isIdentifier(callee) && /^(redirect|notFound|permanentRedirect)$/.test(callee.text))
        responds = true;
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (/\.(body|status)$/.test(node.left.getText()) && roleOf(node.left)) responds = true;
    }
  });
  return responds;
}

function callsNextWithoutError(block: ts.Node, nextName: string): boolean {
  let found = false;
  walk(block, (node) => {
    if (found) return false;
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(unwrap(node.expression)) &&
      (unwrap(node.expression) as ts.Identifier).text === nextName &&
      node.arguments.length === 0
    )
      found = true;
  });
  return found;
}

/** Whether anything after the `try` statement (up to the end of the function) responds. */
function respondsAfter(
  statement: ts.Node,
  fn: ts.FunctionLikeDeclaration,
  roleOf: (node: ts.Node) => Role | undefined,
  nextName: string | undefined,
  returnIsResponse: boolean,
): boolean {
  let current: ts.Node = statement;
  while (current.parent && current !== fn.body) {
    const parent: ts.Node = current.parent;
    if (
      ts.isBlock(parent) ||
      ts.isSourceFile(parent) ||
      ts.isCaseClause(parent) ||
      ts.isDefaultClause(parent)
    ) {
      const statements = parent.statements;
      const index = statements.indexOf(current as ts.Statement);
      for (const following of statements.slice(index + 1))
        if (respondsIn(following, roleOf, nextName, returnIsResponse)) return true;
    }
    if (parent === fn.body) break;
    current = parent;
  }
  return false;
}

function isEmptyFunction(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
  if (ts.isBlock(fn.body)) return fn.body.statements.length === 0;
  const body = unwrap(fn.body);
  return body.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(body) && body.text === 'undefined');
}

function isAwaitedOrReturned(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isVariableDeclaration(parent);
}

/** `res.status(500).json(…)`, `reply.code(404).send(…)`, `c.json(body, 400)`. */
function responseStatus(call: ts.CallExpression): number | undefined {
  const callee = unwrap(call.expression);
  if (ts.isPropertyAccessExpression(callee) && /^(json|text|html|body)$/.test(callee.name.text)) {
    const second = call.arguments[1] && unwrap(call.arguments[1]);
    if (second && ts.isNumericLiteral(second)) return Number(second.text);
    const fromInit = statusFromInit(call.arguments[1]);
    if (fromInit !== undefined) return fromInit;
  }
  let current: ts.Expression = callee;
  for (let steps = 0; steps < 6; steps++) {
    const target = unwrap(current);
    if (ts.isPropertyAccessExpression(target)) {
      current = target.expression;
      continue;
    }
    if (ts.isCallExpression(target)) {
      const inner = unwrap(target.expression);
      if (ts.isPropertyAccessExpression(inner) && /^(status|code|sendStatus)$/.test(inner.name.text)) {
        const argument = target.arguments[0] && unwrap(target.arguments[0]);
        return argument && ts.isNumericLiteral(argument) ? Number(argument.text) : undefined;
      }
      current = target.expression;
      continue;
    }
    break;
  }
  return undefined;
}

function statusFromInit(init: ts.Expression | undefined): number | undefined {
  const target = init && unwrap(init);
  if (!target || !ts.isObjectLiteralExpression(target)) return undefined;
  for (const property of target.properties) {
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === 'status') {
      const value = unwrap(property.initializer);
      return ts.isNumericLiteral(value) ? Number(value.text) : undefined;
    }
  }
  return undefined;
}

/** Koa: `ctx.status = 400` earlier in the same block. */
function koaStatus(assignment: ts.Node): number | undefined {
  let statement: ts.Node = assignment;
  while (statement.parent && !ts.isBlock(statement.parent)) statement = statement.parent;
  const block = statement.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  for (const previous of block.statements
    .slice(0, block.statements.indexOf(statement as ts.Statement))
    .reverse()) {
    const match = /\.status\s*=\s*(\d{3})/.exec(previous.getText());
    if (match) return Number(match[1]);
  }
  return undefined;
}

const EXCEPTION_STATUS: [RegExp, number][] = [
  [/^BadRequest/, 400],
  [/^Unauthorized/, 401],
  [/^Forbidden/, 403],
  [/^NotFound/, 404],
  [/^Conflict/, 409],
  [/^Gone/, 410],
  [/^PayloadTooLarge/, 413],
  [/^UnprocessableEntity/, 422],
  [/^NotAcceptable/, 406],
  [/^MethodNotAllowed/, 405],
  [/^RequestTimeout/, 408],
  [/^PreconditionFailed/, 412],
  [/^UnsupportedMediaType/, 415],
  [/^ImATeapot/, 418],
  [/^Misdirected/, 421],
  [/^InternalServerError/, 500],
  [/^NotImplemented/, 501],
  [/^BadGateway/, 502],
  [/^ServiceUnavailable/, 503],
  [/^GatewayTimeout/, 504],
];

function exceptionStatus(name: string, node: ts.NewExpression): number | undefined {
  for (const [pattern, status] of EXCEPTION_STATUS) if (pattern.test(name)) return status;
  if (name === 'HttpException' || name === 'HTTPException') {
    const argument = node.arguments?.[name === 'HttpException' ? 1 : 0];
    const target = argument && unwrap(argument);
    if (target && ts.isNumericLiteral(target)) return Number(target.text);
    const named = target && dottedName(target);
    const match = named && /HttpStatus\.(\w+)/.exec(named);
    if (match)
      for (const [pattern, status] of EXCEPTION_STATUS) if (pattern.test(pascal(match[1]!))) return status;
  }
  if (name === 'TRPCError') {
    const code = node.arguments?.[0] && /code\s*:\s*['"](\w+)['"]/.exec(node.arguments[0].getText());
    if (code) return code[1] === 'INTERNAL_SERVER_ERROR' ? 500 : 400;
  }
  return undefined;
}

function pascal(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export type { SinkClass };
export { TYPED };

/**
 * `ALLOWED.includes(ext(url)) ? ext(url) : 'jpg'`: the branch repeats the very expression the allow-list
 * accepted, so it can only be one of the listed values (the guard has no variable name to narrow).
 */
function allowListedInBranch(conditional: ts.ConditionalExpression): { list: ts.Expression } | undefined {
  const test = unwrap(conditional.condition);
  if (!ts.isCallExpression(test) || !ts.isPropertyAccessExpression(test.expression)) return undefined;
  if (!/^(includes|has)$/.test(test.expression.name.text) || test.arguments.length !== 1) return undefined;
  const checked = unwrap(test.arguments[0]!).getText();
  if (unwrap(conditional.whenTrue).getText() !== checked) return undefined;
  return { list: test.expression.expression };
}

/** An empty block whose comment says why the failure does not matter: a deliberate choice, not an oversight. */
function explainsItself(block: ts.Node): boolean {
  return /\/\/|\/\*/.test(block.getText());
}

/** The property access in `node` that reads `dotted` (`req.query?.project` for `req.query`). */
function accessNamed(node: ts.Node, dotted: string): ts.Node | undefined {
  if (
    (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
    dottedName(node) === dotted
  )
    return node;
  return ts.forEachChild(node, (child) => accessNamed(child, dotted));
}
