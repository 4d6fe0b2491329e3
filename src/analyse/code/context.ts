import { ts } from 'ts-morph';
import { headRange, isFunctionLike, shortText, unwrap } from './ast.ts';
import { type AuthExpr, AuthRecogniser, type Verdict } from './auth.ts';
import type { CodeFacts, Order, StepFact } from './facts.ts';
import { FlowAnalyser } from './flow/analyser.ts';
import type { PathMapper } from './project.ts';
import { Resolver } from './resolve.ts';
import type { SourcePosition, SourceRange, StepKind } from './route.ts';

/** What every extractor works with while one program is loaded. */
export class ExtractionContext {
  readonly resolver: Resolver;
  readonly auth: AuthRecogniser;
  readonly facts: CodeFacts;
  readonly #cwd: string;
  readonly #paths: PathMapper;
  readonly workspaceRealPath: string;
  readonly program: ts.Program;
  /** The data-flow analysis (flow/); absent when only the route table is built. */
  readonly flow?: FlowAnalyser;

  constructor(options: {
    program: ts.Program;
    checker: ts.TypeChecker;
    facts: CodeFacts;
    cwd: string;
    paths: PathMapper;
    workspaceRealPath: string;
    authNames: readonly string[];
    /** Reads a workspace file (package.json for the Express version); set to run the data-flow analysis. */
    readFile?: (path: string) => string | undefined;
  }) {
    this.program = options.program;
    this.resolver = new Resolver(options.checker);
    this.facts = options.facts;
    this.#cwd = options.cwd;
    this.#paths = options.paths;
    this.workspaceRealPath = options.workspaceRealPath;
    this.auth = new AuthRecogniser(this.resolver, options.authNames, (node) => this.position(node));
    if (options.readFile)
      this.flow = new FlowAnalyser({
        program: options.program,
        resolver: this.resolver,
        model: options.facts.flow,
        seenArrivals: options.facts.flowSeen.arrivals,
        checkedFiles: options.facts.flowSeen.files,
        position: (node) => this.position(node),
        range: (node) => this.range(node),
        readFile: options.readFile,
        workspaceRealPath: options.workspaceRealPath,
      });
  }

  /** The path findings and routes show for a file of the program. */
  displayPath(fileName: string): string {
    return this.#paths.display(this.#cwd, fileName);
  }

  position(node: ts.Node): SourcePosition {
    const sourceFile = node.getSourceFile();
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    return { file: this.displayPath(sourceFile.fileName), line: line + 1, column: character + 1 };
  }

  range(node: ts.Node): SourceRange {
    const sourceFile = node.getSourceFile();
    return { file: this.displayPath(sourceFile.fileName), ...headRange(node, sourceFile) };
  }

  order(node: ts.Node): Order {
    const sourceFile = node.getSourceFile();
    return { file: sourceFile.fileName, offset: node.getStart(sourceFile) };
  }

  /** A chain step for a middleware/guard/hook expression, classified. */
  step(kind: StepKind, expression: ts.Expression, verdict: Verdict, name = stepName(expression)): StepFact {
    if (verdict.auth) this.noteMechanism(verdict.auth);
    const flow = this.flow?.step(kind, expression);
    return {
      kind,
      name,
      ...this.position(expression),
      ...(verdict.auth ? { auth: verdict.auth } : {}),
      ...(verdict.holes?.length ? { holes: verdict.holes } : {}),
      ...(verdict.honours?.length ? { honours: verdict.honours } : {}),
      ...(flow && Object.keys(flow).length > 0 ? { flow } : {}),
    };
  }

  noteMechanism(auth: AuthExpr): void {
    if ('check' in auth) {
      if (this.facts.mechanisms.length < 50) this.facts.mechanisms.push(auth.check);
    } else if ('allOf' in auth) for (const part of auth.allOf) this.noteMechanism(part);
    else if ('anyOf' in auth) for (const part of auth.anyOf) this.noteMechanism(part);
  }
}

/** `requireAuth`, `passport.authenticate('jwt')`, or `inline function` for a function written in place. */
function stepName(expression: ts.Expression): string {
  const target = unwrap(expression);
  if (isFunctionLike(target))
    return target.name && ts.isIdentifier(target.name) ? target.name.text : 'inline function';
  return shortText(target);
}
