/**
 * Next.js: App Router `route.ts` exports (`GET`, `POST`…), Pages Router `pages/api` default exports,
 * higher-order wrappers around handlers (`withAuth(handler)`), and `middleware.ts` with its `config.matcher`.
 * Routes come from the file system, relative to the Next.js project root (the folder whose package.json
 * depends on `next`).
 */
import { basename, dirname, join, relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import {
  hasDefaultModifier,
  hasExportModifier,
  isFunctionLike,
  literalText,
  objectProperty,
  shortText,
  unwrap,
  walk,
} from '../ast.ts';
import type { ExtractionContext } from '../context.ts';
import type { RouteFact, StepFact } from '../facts.ts';
import { onlyRejects } from '../handler-shape.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ROUTE_FILE = /^route\.(?:[cm]?[jt]s|[jt]sx)$/;
const MIDDLEWARE_FILE = /^(middleware|proxy)\.(?:[cm]?[jt]s|[jt]sx)$/;
const SOURCE_EXTENSION = /\.(?:[cm]?[jt]s|[jt]sx)$/;

type NextFile =
  | { kind: 'app-route'; root: string; path: string }
  | { kind: 'pages-api'; root: string; path: string }
  | { kind: 'middleware'; root: string };

export class NextExtractor {
  readonly #context: ExtractionContext;
  readonly #readFile: (path: string) => string | undefined;
  readonly #rootOf = new Map<string, string | null>();

  constructor(context: ExtractionContext, readFile: (path: string) => string | undefined) {
    this.#context = context;
    this.#readFile = readFile;
  }

  /** The nearest folder whose package.json depends on `next`, at or above `dir`, inside the workspace. */
  #nextRoot(dir: string): string | undefined {
    const cached = this.#rootOf.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let root: string | undefined;
    const manifest = this.#readFile(join(dir, 'package.json'));
    if (manifest !== undefined) {
      root = /"next"\s*:/.test(manifest) ? dir : undefined;
    } else if (
      dirname(dir) !== dir &&
      !relative(this.#context.workspaceRealPath, dirname(dir)).startsWith('..')
    ) {
      root = this.#nextRoot(dirname(dir));
    }
    this.#rootOf.set(dir, root ?? null);
    return root;
  }

  classifyFile(fileName: string): NextFile | undefined {
    const name = basename(fileName);
    if (!SOURCE_EXTENSION.test(name) || /\.(test|spec|d)\.[^.]+$/.test(name)) return undefined;
    const root = this.#nextRoot(dirname(fileName));
    if (!root) return undefined;
    const rel = relative(root, fileName).split(sep);
    const base = rel[0] === 'src' ? rel.slice(1) : rel;
    if (base.length === 1 && MIDDLEWARE_FILE.test(base[0]!)) return { kind: 'middleware', root };
    if (base[0] === 'app' && ROUTE_FILE.test(name)) {
      const segments = base.slice(1, -1);
      if (segments.some((segment) => segment.startsWith('_'))) return undefined;
      const kept = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith('@'));
      return { kind: 'app-route', root, path: `/${kept.join('/')}` };
    }
    if (base[0] === 'pages' && base[1] === 'api' && !name.startsWith('_')) {
      const segments = base.slice(1);
      const last = segments[segments.length - 1]!.replace(SOURCE_EXTENSION, '');
      const kept = [...segments.slice(0, -1), ...(last === 'index' ? [] : [last])];
      return { kind: 'pages-api', root, path: `/${kept.join('/')}` };
    }
    return undefined;
  }

  extract(sourceFile: ts.SourceFile): void {
    const file = this.classifyFile(sourceFile.fileName);
    if (!file) return;
    // A tRPC or GraphQL adapter is one HTTP endpoint for many procedures: the procedures are the routes.
    if (
      /@trpc\/server\/adapters|from ['"]@trpc\/server['"]|createNextApiHandler|fetchRequestHandler/.test(
        sourceFile.text,
      )
    )
      return;
    if (file.kind === 'middleware') this.#middleware(sourceFile, file.root);
    else if (file.kind === 'app-route') this.#appRoute(sourceFile, file.root, file.path);
    else this.#pagesApi(sourceFile, file.root, file.path);
  }

  #appRoute(sourceFile: ts.SourceFile, root: string, path: string): void {
    for (const statement of sourceFile.statements) {
      if (
        ts.isFunctionDeclaration(statement) &&
        hasExportModifier(statement) &&
        statement.name &&
        METHODS.includes(statement.name.text)
      ) {
        this.#push(root, statement.name.text, path, statement, statement);
      } else if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (
            ts.isIdentifier(declaration.name) &&
            METHODS.includes(declaration.name.text) &&
            declaration.initializer
          )
            this.#push(root, declaration.name.text, path, declaration, declaration.initializer);
          else if (ts.isObjectBindingPattern(declaration.name) && declaration.initializer) {
            // `export const { GET, POST } = handlers` (Auth.js).
            for (const element of declaration.name.elements)
              if (ts.isIdentifier(element.name) && METHODS.includes(element.name.text))
                this.#push(root, element.name.text, path, element, declaration.initializer);
          }
        }
      } else if (
        ts.isExportDeclaration(statement) &&
        statement.exportClause &&
        ts.isNamedExports(statement.exportClause)
      ) {
        for (const specifier of statement.exportClause.elements) {
          if (!METHODS.includes(specifier.name.text)) continue;
          const local = specifier.propertyName ?? specifier.name;
          const declarations = ts.isIdentifier(local)
            ? this.#context.resolver.declarationsOf(specifier.name)
            : [];
          const declaration = declarations[0];
          const value =
            declaration &&
            (isFunctionLike(declaration)
              ? declaration
              : ts.isVariableDeclaration(declaration)
                ? declaration.initializer
                : undefined);
          this.#push(root, specifier.name.text, path, specifier, (value ?? local) as ts.Node);
        }
      }
    }
  }

  #pagesApi(sourceFile: ts.SourceFile, root: string, path: string): void {
    for (const statement of sourceFile.statements) {
      let value: ts.Node | undefined;
      if (ts.isExportAssignment(statement) && !statement.isExportEquals) value = statement.expression;
      else if (ts.isFunctionDeclaration(statement) && hasDefaultModifier(statement)) value = statement;
      if (!value) continue;
      const fn = this.#handlerFunction(value);
      const methods = fn ? methodsChecked(fn) : [];
      for (const method of methods.length > 0 ? methods : ['ALL'])
        this.#push(root, method, path, statement, value);
    }
  }

  /** The function handling requests: the value itself, or the function a wrapper call is given. */
  #handlerFunction(value: ts.Node): ts.FunctionLikeDeclaration | undefined {
    if (isFunctionLike(value)) return value;
    const target = ts.isExpression(value) ? unwrap(value) : value;
    if (ts.isCallExpression(target)) {
      for (const argument of target.arguments) {
        const inner = this.#handlerFunction(unwrap(argument));
        if (inner) return inner;
      }
      return undefined;
    }
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target))
      return this.#context.resolver.functionsOf(target).find((fn) => !fn.getSourceFile().isDeclarationFile);
    return undefined;
  }

  /** Wrappers around the handler, outermost first: `export const POST = withWorkspace(withRateLimit(handler))`. */
  #wrappers(value: ts.Node): StepFact[] {
    const steps: StepFact[] = [];
    let target = ts.isExpression(value) ? unwrap(value) : value;
    for (let depth = 0; depth < 5 && ts.isCallExpression(target); depth++) {
      const call = target;
      steps.push(
        this.#context.step(
          'wrapper',
          call,
          this.#context.auth.classify(call, 'middleware'),
          shortText(call.expression),
        ),
      );
      const inner = call.arguments.find((argument) => {
        const argumentTarget = unwrap(argument);
        return (
          ts.isCallExpression(argumentTarget) ||
          isFunctionLike(argumentTarget) ||
          ts.isIdentifier(argumentTarget)
        );
      });
      if (!inner) break;
      target = unwrap(inner);
    }
    return steps;
  }

  #push(root: string, method: string, path: string, registration: ts.Node, value: ts.Node): void {
    const fn = this.#handlerFunction(value);
    this.#context.flow?.nextRoute(fn, /[\\/]pages[\\/]api[\\/]/.test(registration.getSourceFile().fileName));
    const check = fn ? this.#context.auth.handlerCheck(fn) : undefined;
    if (check) this.#context.noteMechanism({ check });
    const handlerNode = fn ?? registration;
    const handlerPosition = this.#context.position(handlerNode);
    const name =
      fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name
        ? fn.name.text
        : undefined;
    const route: RouteFact = {
      framework: 'nextjs',
      methods: [method],
      path: { text: path, complete: true },
      steps: ts.isFunctionDeclaration(value) ? [] : this.#wrappers(value),
      registration: this.#context.range(registration),
      handler: { ...handlerPosition, ...(name ? { name } : {}) },
      ...(check
        ? {
            handlerCheck: {
              kind: 'handler-check',
              name: name ?? method,
              ...handlerPosition,
              auth: { check },
            },
          }
        : {}),
      ...(fn && onlyRejects(fn) ? { rejectsAll: true } : {}),
    };
    this.#context.facts.nextRoutes.push({ root, route });
  }

  #middleware(sourceFile: ts.SourceFile, root: string): void {
    let handler: ts.Expression | ts.FunctionDeclaration | undefined;
    let matchers: string[] = [];
    for (const statement of sourceFile.statements) {
      if (ts.isExportAssignment(statement)) handler = statement.expression;
      else if (
        ts.isFunctionDeclaration(statement) &&
        (hasDefaultModifier(statement) ||
          (hasExportModifier(statement) && /^(middleware|proxy)$/.test(statement.name?.text ?? '')))
      )
        handler = statement;
      else if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
          if (/^(middleware|proxy)$/.test(declaration.name.text)) handler = declaration.initializer;
          if (declaration.name.text === 'config')
            matchers = matcherList(objectProperty(unwrap(declaration.initializer), 'matcher'));
        }
      } else if (
        ts.isExportDeclaration(statement) &&
        statement.exportClause &&
        ts.isNamedExports(statement.exportClause)
      ) {
        const specifier = statement.exportClause.elements.find((element) =>
          /^(middleware|proxy|default)$/.test(element.name.text),
        );
        if (specifier) handler = specifier.name;
      }
    }
    if (!handler) return;
    const expression = handler as ts.Expression;
    const verdict = ts.isFunctionDeclaration(handler)
      ? this.#context.auth.classify(handler as unknown as ts.Expression)
      : this.#context.auth.classify(expression);
    const at = ts.isFunctionDeclaration(handler)
      ? ((handler.name ?? handler) as unknown as ts.Expression)
      : expression;
    const step = this.#context.step('edge-middleware', at, verdict, basename(sourceFile.fileName));
    this.#context.facts.nextMiddleware.push({ root, matchers, step });
  }
}

function matcherList(value: ts.Expression | undefined): string[] {
  if (!value) return [];
  const target = unwrap(value);
  const text = literalText(target);
  if (text !== undefined) return [text];
  if (ts.isArrayLiteralExpression(target))
    return target.elements.flatMap((element) => {
      const inner = unwrap(element as ts.Expression);
      const literal = literalText(inner) ?? literalText(objectProperty(inner, 'source'));
      return literal === undefined ? [] : [literal];
    });
  return [];
}

/** Methods a Pages Router handler tests for (`req.method === 'POST'`, `case 'GET':`). */
function methodsChecked(fn: ts.FunctionLikeDeclaration): string[] {
  const methods = new Set<string>();
  if (!fn.body) return [];
  walk(fn.body, (node) => {
    const text = ts.isStringLiteral(node) ? node.text : undefined;
    if (!text || !METHODS.includes(text)) return;
    const parent = node.parent;
    const comparesMethod =
      (ts.isBinaryExpression(parent) &&
        /\.method$/.test((parent.left === node ? parent.right : parent.left).getText())) ||
      (ts.isCaseClause(parent) &&
        ts.isSwitchStatement(parent.parent.parent) &&
        /\.method$/.test(parent.parent.parent.expression.getText()));
    if (comparesMethod) methods.add(text);
  });
  return [...methods];
}
