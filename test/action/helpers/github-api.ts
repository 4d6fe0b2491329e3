/**
 * A loopback stand-in for GitHub's REST API. Every request is checked against GitHub's own description
 * (`@octokit/openapi`): the path and method must exist, path and query parameters must fit their schemas and the
 * JSON body must validate against the operation's requestBody schema. It also enforces what the schema cannot:
 * at most 50 annotations per request, columns only on one-line annotations, check runs on the pull request's
 * head, review comments only on lines of the diff, comment sizes. Breaches are answered like GitHub (422) and
 * recorded in `violations`, which every test expects to stay empty.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parsePatch } from '../../../src/filter/diff.ts';
import { REPO } from '../../helpers/cli.ts';

// biome-ignore lint/suspicious/noExplicitAny: GitHub's description and the request bodies are untyped JSON.
type Json = Record<string, any>;
/** That an answer was sent. */
type Answered = true;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  pathParams: string[];
  parameters: Json[];
  bodySchema?: Json;
  bodyRequired: boolean;
}

const description: Json = JSON.parse(
  readFileSync(join(REPO, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'),
);
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
const operations: Operation[] = [];
const validators = new Map<Json, ValidateFunction>();

/** OpenAPI 3.0's `nullable` beside `anyOf`/`allOf` (no `type`) is not JSON Schema: Ajv wants it spelled out. */
function toJsonSchema(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(toJsonSchema);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Json;
  for (const value of Object.values(schema)) toJsonSchema(value);
  if (schema.nullable === true && schema.type === undefined) {
    const copy = { ...schema };
    delete copy.nullable;
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [copy, { type: 'null' }];
  }
}
toJsonSchema(description.components);
toJsonSchema(description.paths);

/** The operation's requestBody validator, compiled on first use (compiling all of them takes long). */
function bodyValidator(schema: Json): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    // `#/components/...` references resolve against the root: give the schema the description's components.
    validate = ajv.compile({ ...schema, components: description.components });
    validators.set(schema, validate);
  }
  return validate;
}

function deref(node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  const target = node.$ref
    .slice(2)
    .split('/')
    .reduce((at: Json, key: string) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], description);
  return deref(target);
}

for (const [template, item] of Object.entries(description.paths as Record<string, Json>)) {
  for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
    const operation = item[method];
    if (!operation) continue;
    const pathParams: string[] = [];
    const source = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      pathParams.push(name);
      return '([^/]+)';
    });
    const requestBody = operation.requestBody ? deref(operation.requestBody) : undefined;
    operations.push({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${source}$`),
      pathParams,
      parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(deref),
      bodyRequired: requestBody?.required === true,
      bodySchema: requestBody?.content?.['application/json']?.schema,
    });
  }
}
// Literal segments win over parameters: /pulls/comments/{id} before /pulls/{pull_number}/comments.
operations.sort((a, b) => a.pathParams.length - b.pathParams.length);

export interface PullRequestFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
}

export interface Failure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export interface ServerOptions {
  token: string;
  repository: string;
  pullRequest?: { number: number; headSha: string; files: PullRequestFile[] };
  /** The commit check runs must be created on. */
  expectedHeadSha?: string;
  /** Every write answers 403, as for a pull request from a fork. */
  forbidWrites?: boolean;
  /** Answers these statuses before the real answer, `times` times each. */
  failures?: Failure[];
  /** GET …/pulls/{n}/files answers this (406: diff too large). */
  filesStatus?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operation?: string;
  status: number;
  body?: Json;
}

interface CheckRun {
  id: number;
  head_sha: string;
  name: string;
  status: string;
  conclusion?: string;
  output?: Json;
  annotations: Json[];
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly issueComments: { id: number; body: string }[] = [];
  readonly reviewComments: Json[] = [];
  readonly reviews: Json[] = [];
  url = '';
  private nextId = 1000;
  private server: Server | undefined;

  options: ServerOptions;

  constructor(options: ServerOptions) {
    this.options = options;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => this.handle(request, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests that reached an operation, by operation id (e.g. `checks/create`), with their bodies. */
  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === operationId);
  }

  private handle(request: IncomingMessage, text: string, response: ServerResponse): Answered {
    const url = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, status: 0 };
    this.requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): Answered => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(body === undefined ? '' : JSON.stringify(body));
      return true;
    };
    const reject = (status: number, message: string): Answered => {
      this.violations.push(`${method} ${url.pathname}: ${message}`);
      return reply(status, { message });
    };

    const operation = operations.find((op) => op.method === method && op.pattern.test(url.pathname));
    if (!operation) return reject(404, 'no such operation in GitHub’s REST description');
    const id = description.paths[operation.template][method.toLowerCase()].operationId as string;
    record.operation = id;
    if (request.headers.authorization !== `token ${this.options.token}`) {
      return reject(401, 'missing or wrong authorization header');
    }

    const params: Json = {};
    operation.pattern
      .exec(url.pathname)!
      .slice(1)
      .forEach((value, index) => {
        params[operation.pathParams[index]!] = decodeURIComponent(value);
      });
    for (const parameter of operation.parameters) {
      const value = parameter.in === 'path' ? params[parameter.name] : url.searchParams.get(parameter.name);
      if (value === null || value === undefined) continue;
      if (parameter.schema?.type === 'integer' && !/^\d+$/.test(value)) {
        return reject(422, `parameter ${parameter.name} must be an integer`);
      }
      if (parameter.name === 'per_page' && Number(value) > 100) return reject(422, 'per_page over 100');
    }
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of url.searchParams.keys()) {
      if (!declared.has(name)) return reject(422, `undeclared query parameter ${name}`);
    }

    let body: Json | undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return reject(400, 'body is not JSON');
      }
    }
    record.body = body;
    if (operation.bodyRequired && body === undefined) return reject(422, 'request body required');
    if (body !== undefined) {
      if (!operation.bodySchema) return reject(422, 'this operation takes no body');
      const validate = bodyValidator(operation.bodySchema);
      if (!validate(body)) return reject(422, `body fails the schema: ${ajv.errorsText(validate.errors)}`);
    }

    const failure = this.options.failures?.find((f) => f.method === method && f.path.test(url.pathname));
    if (failure && failure.times > 0) {
      failure.times--;
      return reply(failure.status, { message: 'Server Error' });
    }
    if (this.options.forbidWrites && method !== 'GET') {
      return reply(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    const semantic = this.semanticProblem(id, params, body);
    if (semantic) return reject(422, semantic);
    return this.respond(id, params, url, body ?? {}, reply);
  }

  /** What GitHub refuses although the schema allows it. */
  private semanticProblem(id: string, params: Json, body: Json | undefined): string | undefined {
    if (id === 'checks/create' || id === 'checks/update') {
      const output = body?.output;
      if (
        id === 'checks/create' &&
        this.options.expectedHeadSha &&
        body?.head_sha !== this.options.expectedHeadSha
      ) {
        return `check run on ${body?.head_sha}, not the pull request's head ${this.options.expectedHeadSha}`;
      }
      if ((output?.annotations?.length ?? 0) > 50) return 'more than 50 annotations in one request';
      if ((output?.summary?.length ?? 0) > 65535) return 'Only 65535 characters are allowed in summary';
      for (const annotation of output?.annotations ?? []) {
        if (annotation.start_column !== undefined && annotation.start_line !== annotation.end_line) {
          return 'columns on a multi-line annotation';
        }
        if (annotation.end_line < annotation.start_line) return 'end_line before start_line';
        if (annotation.message.length > 64 * 1024) return 'annotation message over 64 KB';
      }
      if (id === 'checks/update' && !this.checkRuns.some((run) => run.id === Number(params.check_run_id))) {
        return 'no such check run';
      }
    }
    if ((id === 'issues/create-comment' || id === 'issues/update-comment') && body!.body.length > 65536) {
      return 'comment body over 65,536 characters';
    }
    if (id === 'pulls/create-review') {
      const pr = this.options.pullRequest;
      if (!pr || Number(params.pull_number) !== pr.number) return 'no such pull request';
      if (body?.commit_id !== pr.headSha) return `review on ${body?.commit_id}, not the head ${pr.headSha}`;
      for (const comment of body?.comments ?? []) {
        if (comment.position !== undefined) return 'position is closing down; use line and side';
        if (typeof comment.line !== 'number' || comment.side !== 'RIGHT')
          return 'comment without line/side RIGHT';
        const file = pr.files.find((f) => f.filename === comment.path);
        if (!file?.patch || !parsePatch(file.patch).shown.has(comment.line)) {
          return `Pull request review thread line must be part of the diff (${comment.path}:${comment.line})`;
        }
      }
    }
    return undefined;
  }

  private respond(
    id: string,
    params: Json,
    url: URL,
    body: Json,
    reply: (status: number, body?: unknown, headers?: Record<string, string>) => Answered,
  ): Answered {
    const page = <T>(items: T[]): Answered => {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const number = Number(url.searchParams.get('page') ?? 1);
      const headers: Record<string, string> = {};
      if (number * perPage < items.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(number + 1));
        headers.link = `<${next}>; rel="next"`;
      }
      return reply(200, items.slice((number - 1) * perPage, number * perPage), headers);
    };
    const bot = { login: 'github-actions[bot]', type: 'Bot' };
    switch (id) {
      case 'checks/create': {
        const run: CheckRun = {
          id: this.nextId++,
          head_sha: body.head_sha,
          name: body.name,
          status: body.conclusion ? 'completed' : (body.status ?? 'queued'),
          conclusion: body.conclusion,
          output: body.output,
          annotations: [...(body.output?.annotations ?? [])],
        };
        this.checkRuns.push(run);
        return reply(201, { id: run.id, head_sha: run.head_sha, name: run.name, status: run.status });
      }
      case 'checks/update': {
        const run = this.checkRuns.find((r) => r.id === Number(params.check_run_id))!;
        run.annotations.push(...(body.output?.annotations ?? []));
        if (body.output) run.output = body.output;
        if (body.conclusion) Object.assign(run, { status: 'completed', conclusion: body.conclusion });
        return reply(200, { id: run.id, status: run.status, conclusion: run.conclusion });
      }
      case 'pulls/list-files': {
        if (this.options.filesStatus) {
          return reply(this.options.filesStatus, {
            message: 'Sorry, the diff exceeded the maximum number of files',
          });
        }
        return page(this.options.pullRequest?.files ?? []);
      }
      case 'issues/list-comments':
        return page(this.issueComments.map((comment) => ({ ...comment, user: bot })));
      case 'issues/create-comment': {
        const comment = { id: this.nextId++, body: body.body };
        this.issueComments.push(comment);
        return reply(201, { ...comment, user: bot });
      }
      case 'issues/update-comment': {
        const comment = this.issueComments.find((c) => c.id === Number(params.comment_id));
        if (!comment) return reply(404, { message: 'Not Found' });
        comment.body = body.body;
        return reply(200, { ...comment, user: bot });
      }
      case 'pulls/list-review-comments':
        return page(this.reviewComments);
      case 'pulls/create-review': {
        const review = { id: this.nextId++, body: body.body, event: body.event, state: 'COMMENTED' };
        this.reviews.push(review);
        for (const comment of body.comments ?? []) {
          this.reviewComments.push({ id: this.nextId++, ...comment, commit_id: body.commit_id, user: bot });
        }
        return reply(200, review);
      }
      case 'pulls/delete-review-comment': {
        const index = this.reviewComments.findIndex((c) => c.id === Number(params.comment_id));
        if (index < 0) return reply(404, { message: 'Not Found' });
        this.reviewComments.splice(index, 1);
        return reply(204);
      }
      default:
        this.violations.push(`unexpected call to ${id}`);
        return reply(404, { message: 'Not Found' });
    }
  }
}
