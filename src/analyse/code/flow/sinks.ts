/**
 * Dangerous sinks: calls that run a query, a shell command or code, touch the file system, redirect, fetch a URL
 * or store an entity. A package API is recognised by its import; ORM and driver methods, which are called on
 * objects whose type apiguard does not load, by their name, their arguments and what the receiver is (a Mongoose
 * model, a repository, a Prisma client). Sources: CodeQL's JavaScript models and the reference (§7).
 */
import { ts } from 'ts-morph';
import { calleeName, literalText, objectProperty, propertyNameText, unwrap } from '../ast.ts';
import type { ImportBinding } from '../resolve.ts';
import type { HandlerFramework, SinkClass } from './model.ts';
import type { Role } from './value.ts';

export interface SinkMatch {
  class: SinkClass;
  name: string;
  /** Argument positions whose value matters; `all`: every argument. */
  args: readonly number[] | 'all';
  /** Only these properties of an object argument (`data` for Prisma, `url` for an axios config). */
  props?: readonly string[];
  /** The value itself, not its known fields: mass assignment stores whatever keys the object has. */
  own?: boolean;
  operation?: 'read' | 'write';
  by: 'library' | 'shape';
  /** `sql-text`: only a string built with SQL in it counts (generic `.query`); `built`: only a built string (`.where(…)`). */
  needs?: 'built' | 'sql-text';
  /** `$where` / `$function`: JavaScript run by the database, so a string is as bad as an operator object. */
  code?: boolean;
}

export interface CallShape {
  call: ts.CallExpression | ts.NewExpression;
  callee: ts.Expression;
  /** The property name when the callee is `receiver.method`. */
  method?: string;
  receiver?: ts.Expression;
  receiverRole?: Role;
  args: readonly ts.Expression[];
  isNew: boolean;
  /** The framework of the handler being analysed, where the response object's methods differ. */
  framework?: HandlerFramework;
}

export interface SinkContext {
  importOf(node: ts.Node): ImportBinding | undefined;
  /** The receiver is a MongoDB collection or a Mongoose model/query. */
  isMongo(receiver: ts.Expression): boolean;
  /** The receiver is an ORM model, repository, entity manager or database client. */
  isPersistence(receiver: ts.Expression): boolean;
}

const SQL_TEXT =
  /\b(select|insert|update|delete|create|alter|drop|truncate|merge|replace|grant|exec|call|with)\b[\s\S]*\b(from|into|set|where|table|values|join|by|index|view|database|procedure|as)\b|\b(where|order\s+by|group\s+by|limit|values)\b/i;

export function looksLikeSql(text: string): boolean {
  return SQL_TEXT.test(text);
}

const FS_ONE_PATH =
  /^(readFile|readFileSync|createReadStream|createWriteStream|writeFile|writeFileSync|appendFile|appendFileSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|stat|statSync|lstat|lstatSync|mkdir|mkdirSync|access|accessSync|existsSync|exists|open|openSync|truncate|truncateSync|chmod|chmodSync|chown|chownSync|utimes|readlink|realpath|realpathSync|opendir|remove|removeSync|outputFile|outputFileSync|readJson|readJsonSync|writeJson|writeJsonSync|outputJson|ensureDir|ensureDirSync|ensureFile|emptyDir|pathExists|pathExistsSync|readJSON|writeJSON|watch|watchFile)$/;
const FS_TWO_PATHS =
  /^(copyFile|copyFileSync|rename|renameSync|symlink|symlinkSync|link|linkSync|copy|copySync|move|moveSync|cp|cpSync)$/;
const FS_MODULES = /^(node:)?fs(\/promises)?$|^(fs-extra|graceful-fs|fs-jetpack|mz\/fs)$/;
const HTTP_CLIENTS =
  /^(axios|got|node-fetch|undici|ky|superagent|needle|request|request-promise(-native)?|ofetch|cross-fetch|isomorphic-fetch|phin|centra|bent|make-fetch-happen)$/;
const HTTP_METHODS = /^(get|post|put|patch|delete|del|head|options|request|fetch|stream|json|text)$/;
const MONGO_FILTER_METHODS =
  /^(find|findOne|findOneAndUpdate|findOneAndDelete|findOneAndRemove|findOneAndReplace|update|updateOne|updateMany|deleteOne|deleteMany|countDocuments|count|exists|replaceOne|remove|where|findAndModify|estimatedDocumentCount)$/;
const MONGO_WRITE_METHODS =
  /^(insertOne|insertMany|create|bulkWrite|save|updateOne|updateMany|replaceOne|findOneAndUpdate|findByIdAndUpdate|findOneAndReplace)$/;
const PERSISTENCE_WRITE =
  /^(create|createMany|insert|insertMany|insertOne|bulkCreate|save|upsert|update|updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|replaceOne|findOneAndReplace|merge|set|values|increment|decrement|delete|deleteOne|deleteMany|destroy|remove|findByIdAndDelete|findOneAndDelete|softDelete|restore)$/;
const PERSISTENCE_READ =
  /^(find|findOne|findById|findByPk|findAll|findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|findOneBy|findBy|findOneByOrFail|findOneOrFail|findAndCount|count|countDocuments|exists|existsBy|where|aggregate|groupBy|distinct|get|select)$/;
const MASS_FIRST_ARGUMENT = /^(create|insert|insertMany|insertOne|bulkCreate|save|upsert|createMany)$/;
const MASS_SECOND_ARGUMENT =
  /^(updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|replaceOne|findOneAndReplace|merge)$/;
const PRISMA_OPERATIONS =
  /^(create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|count|aggregate|groupBy)$/;

function isFalse(node: ts.Expression | undefined): boolean {
  return !!node && unwrap(node).kind === ts.SyntaxKind.FalseKeyword;
}

/** An options object with `shell: true` (or any non-false shell) among the arguments. */
function usesShell(args: readonly ts.Expression[]): boolean {
  return args.some((argument) => {
    const shell = objectProperty(unwrap(argument), 'shell');
    return !!shell && !isFalse(shell);
  });
}

function hasRootOption(args: readonly ts.Expression[]): boolean {
  return args.some((argument) => !!objectProperty(unwrap(argument), 'root'));
}

/** The display name of a call: `db.query`, `exec`, `res.redirect`. */
export function sinkName(shape: CallShape): string {
  const callee = shape.callee;
  if (ts.isPropertyAccessExpression(callee)) {
    const receiver = unwrap(callee.expression);
    const base = ts.isIdentifier(receiver)
      ? receiver.text
      : ts.isPropertyAccessExpression(receiver)
        ? receiver.name.text
        : ts.isCallExpression(receiver)
          ? `${calleeName(receiver.expression) ?? ''}(…)`
          : receiver.kind === ts.SyntaxKind.ThisKeyword
            ? 'this'
            : '…';
    return `${shape.isNew ? 'new ' : ''}${base}.${callee.name.text}`;
  }
  return `${shape.isNew ? 'new ' : ''}${calleeName(callee) ?? 'call'}`;
}

/** The sinks a call is, for the arguments it has. */
export function matchSinks(shape: CallShape, context: SinkContext): SinkMatch[] {
  const name = sinkName(shape);
  const role = roleSinks(shape, name);
  if (role) return role;
  const binding = context.importOf(shape.callee);
  if (binding) {
    const library = librarySinks(shape, binding, name);
    if (library) return library;
  }
  return shapeSinks(shape, context, name, binding);
}

/** Sinks on the framework's response objects. */
function roleSinks(shape: CallShape, name: string): SinkMatch[] | undefined {
  const { method, receiverRole, args } = shape;
  if (!method || !receiverRole) return undefined;
  const response = receiverRole === 'response' || receiverRole === 'koa-ctx' || receiverRole === 'hono-ctx';
  if (!response) return undefined;
  switch (method) {
    case 'redirect': {
      // Express `res.redirect([status,] url)`, Fastify `reply.redirect(url[, code])` or `(code, url)`.
      const index = args.findIndex((argument) => !ts.isNumericLiteral(unwrap(argument)));
      return index >= 0 ? [{ class: 'redirect', name, args: [index], by: 'library' }] : [];
    }
    case 'location':
      return [{ class: 'redirect', name, args: [0], by: 'library' }];
    case 'sendFile':
      // Fastify's `reply.sendFile(name)` serves from the configured root; Express's needs `{ root }`.
      if (
        receiverRole !== 'response' ||
        shape.framework === 'fastify' ||
        hasRootOption(args) ||
        args.length === 0
      )
        return [];
      return [{ class: 'path', name, args: [0], by: 'library' }];
    case 'download':
      return hasRootOption(args) ? [] : [{ class: 'path', name, args: [0], by: 'library' }];
    case 'setHeader':
    case 'set':
    case 'header':
    case 'append':
      return /^location$/i.test(literalText(args[0]) ?? '')
        ? [{ class: 'redirect', name, args: [1], by: 'library' }]
        : [];
    case 'writeHead':
      return [{ class: 'redirect', name, args: [1, 2], props: ['Location', 'location'], by: 'library' }];
    case 'json':
    case 'send':
    case 'end':
    case 'write':
    case 'jsonp':
    case 'text':
    case 'html':
    case 'body':
      return [{ class: 'response', name, args: [0], by: 'library' }];
    default:
      return [];
  }
}

function librarySinks(shape: CallShape, binding: ImportBinding, name: string): SinkMatch[] | undefined {
  const { module } = binding;
  const member = binding.name.replace(/^(default|promises)\./, '');
  const args = shape.args;
  if (/^(node:)?child_process$/.test(module)) {
    if (/^(exec|execSync)$/.test(member)) return [{ class: 'command', name, args: [0], by: 'library' }];
    if (/^(spawn|spawnSync|execFile|execFileSync|fork)$/.test(member))
      return [{ class: 'command', name, args: usesShell(args) ? 'all' : [0], by: 'library' }];
    return [];
  }
  if (module === 'shelljs' && member === 'exec')
    return [{ class: 'command', name, args: [0], by: 'library' }];
  if (module === 'execa' || module === 'cross-spawn') {
    if (/^(execaCommand|execaCommandSync)$/.test(member))
      return [{ class: 'command', name, args: [0], by: 'library' }];
    if (/^(execa|execaSync|default|spawn|sync|execaNode)$/.test(member))
      return [{ class: 'command', name, args: usesShell(args) ? 'all' : [0], by: 'library' }];
    return [];
  }
  if (/^(node:)?vm$/.test(module)) {
    if (
      /^(runInNewContext|runInThisContext|runInContext|compileFunction|Script|SourceTextModule)$/.test(member)
    )
      return [{ class: 'code', name, args: [0], by: 'library' }];
    return [];
  }
  if (FS_MODULES.test(module)) {
    const fn = member.split('.').pop()!;
    if (FS_ONE_PATH.test(fn)) return [{ class: 'path', name, args: [0], by: 'library' }];
    if (FS_TWO_PATHS.test(fn)) return [{ class: 'path', name, args: [0, 1], by: 'library' }];
    return [];
  }
  if (module === 'koa-send' || module === '@koa/send') {
    return hasRootOption(args) ? [] : [{ class: 'path', name, args: [1], by: 'library' }];
  }
  if (HTTP_CLIENTS.test(module)) {
    if (member === 'create' || member === 'extend' || member === 'defaults') return [];
    if (member === 'default' || member === '*' || HTTP_METHODS.test(member) || member === binding.name)
      return httpClientSinks(shape, name, member);
    return [];
  }
  if (/^(node:)?https?$/.test(module) && /^(get|request)$/.test(member))
    return [{ class: 'ssrf', name, args: [0], props: ['host', 'hostname', 'path', 'href'], by: 'library' }];
  if (
    /^(next\/navigation|next\/dist\/client\/components\/navigation)$/.test(module) &&
    /^(redirect|permanentRedirect)$/.test(member)
  )
    return [{ class: 'redirect', name, args: [0], by: 'library' }];
  if (
    module === 'next/server' &&
    /^NextResponse\.redirect$|^redirect$/.test(binding.name.replace(/^default\./, ''))
  )
    return [{ class: 'redirect', name, args: [0], by: 'library' }];
  if (module === 'next/server' && /NextResponse\.json$|^json$/.test(binding.name))
    return [{ class: 'response', name, args: [0], by: 'library' }];
  if (module === 'drizzle-orm' && /^sql\.raw$/.test(binding.name))
    return [{ class: 'sql', name, args: [0], by: 'library' }];
  if (/^@prisma\/client/.test(module) && /Prisma\.raw$|^raw$/.test(binding.name))
    return [{ class: 'sql', name, args: [0], by: 'library' }];
  if (
    /^(lodash|lodash-es|underscore)$/.test(module) ||
    /^lodash\.(merge|assign|extend|defaults)$/.test(module)
  ) {
    const fn = /^lodash\./.test(module) ? module.slice(7) : member;
    if (
      /^(merge|assign|extend|assignIn|defaults|defaultsDeep|mergeWith)$/.test(fn) &&
      !isFreshObject(args[0])
    )
      return mergedInto(name, args);
    return [];
  }
  if (/^(mongodb|mongoose)$/.test(module)) return undefined;
  return undefined;
}

function httpClientSinks(_shape: CallShape, name: string, member: string): SinkMatch[] {
  const matches: SinkMatch[] = [
    {
      class: 'ssrf',
      name,
      args: [0],
      props: ['url', 'baseURL', 'prefixUrl', 'uri', 'host', 'hostname'],
      by: 'library',
    },
  ];
  // Data sent to another service: `axios.post(url, data)`, `got.post(url, { json })`.
  if (/^(post|put|patch)$/.test(member))
    matches.push({ class: 'input', name, args: [1], operation: 'write', by: 'library' });
  return matches;
}

/** `Object.assign(entity, req.body)`, `_.merge(user, input)`: every source's own fields land on the target. */
function mergedInto(name: string, args: readonly ts.Expression[]): SinkMatch[] {
  return [
    {
      class: 'mass-assignment',
      name,
      args: args.map((_, index) => index).slice(1),
      own: true,
      by: 'library',
    },
  ];
}

function isFreshObject(argument: ts.Expression | undefined): boolean {
  return (
    !!argument &&
    ts.isObjectLiteralExpression(unwrap(argument)) &&
    (unwrap(argument) as ts.ObjectLiteralExpression).properties.length === 0
  );
}

/** Sinks recognised by name and shape, on receivers whose library apiguard does not load. */
function shapeSinks(
  shape: CallShape,
  context: SinkContext,
  name: string,
  binding: ImportBinding | undefined,
): SinkMatch[] {
  const { method, receiver, args, callee } = shape;
  // Globals.
  if (!method && ts.isIdentifier(callee) && !binding) {
    switch (callee.text) {
      case 'eval':
        return [{ class: 'code', name, args: [0], by: 'library' }];
      case 'Function':
        return [{ class: 'code', name, args: 'all', by: 'library' }];
      case 'setTimeout':
      case 'setInterval':
      case 'setImmediate':
        return [{ class: 'code', name, args: [0], by: 'library' }];
      case 'require':
        return [{ class: 'code', name, args: [0], by: 'library' }];
      case 'fetch':
      case '$fetch':
        return [
          { class: 'ssrf', name, args: [0], props: ['url'], by: 'library' },
          { class: 'input', name, args: [1], props: ['body'], operation: 'write', by: 'library' },
        ];
      case 'redirect':
      case 'permanentRedirect':
        return [];
      default:
        return [];
    }
  }
  if (
    shape.call.kind === ts.SyntaxKind.CallExpression &&
    (shape.call as ts.CallExpression).expression.kind === ts.SyntaxKind.ImportKeyword
  )
    return [{ class: 'code', name: 'import', args: [0], by: 'library' }];
  if (!method || !receiver) {
    if (shape.isNew && ts.isIdentifier(callee)) {
      if (callee.text === 'Function') return [{ class: 'code', name, args: 'all', by: 'library' }];
      if (context.isMongo(callee))
        return [
          { class: 'mass-assignment', name, args: [0], own: true, operation: 'write', by: 'shape' },
          { class: 'input', name, args: [0], operation: 'write', by: 'shape' },
        ];
    }
    return [];
  }
  const receiverText = ts.isIdentifier(unwrap(receiver)) ? (unwrap(receiver) as ts.Identifier).text : '';
  if (/^(Response|NextResponse)$/.test(receiverText)) {
    if (method === 'redirect') return [{ class: 'redirect', name, args: [0], by: 'library' }];
    if (method === 'json') return [{ class: 'response', name, args: [0], by: 'library' }];
    return [];
  }
  if (receiverText === 'Object' && method === 'assign' && !isFreshObject(args[0]))
    return mergedInto(name, args);
  // Prisma: `prisma.$queryRawUnsafe(sql)`, `prisma.user.create({ data })`.
  if (/^\$(queryRawUnsafe|executeRawUnsafe)$/.test(method))
    return [{ class: 'sql', name, args: [0], by: 'library' }];
  if (/^\$(queryRaw|executeRaw)$/.test(method) && shape.call.kind === ts.SyntaxKind.CallExpression)
    return [{ class: 'sql', name, args: [0], by: 'library', needs: 'sql-text' }];
  // knex: `knex.raw(sql, bindings)`, `.whereRaw(sql)`.
  if (
    /^(raw|whereRaw|orWhereRaw|andWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw|selectRaw|unsafe)$/.test(
      method,
    )
  )
    return [
      {
        class: 'sql',
        name,
        args: [0],
        by: 'shape',
        ...(method === 'raw' && !context.isPersistence(receiver) ? { needs: 'sql-text' } : {}),
      },
    ];
  // TypeORM query builder: `.where(\`user.name = '${name}'\`)`.
  if (/^(where|andWhere|orWhere|having|andHaving|orHaving)$/.test(method) && !context.isMongo(receiver))
    return [{ class: 'sql', name, args: [0], by: 'shape', needs: 'built' }];
  // Drivers, sequelize, TypeORM managers: `pool.query(sql)`, `connection.execute(sql)`.
  if (/^(query|execute|exec|run|all|get|prepare)$/.test(method)) {
    const persistence = /^(query|execute)$/.test(method) && context.isPersistence(receiver);
    return [{ class: 'sql', name, args: [0], by: 'shape', ...(persistence ? {} : { needs: 'sql-text' }) }];
  }
  // Drizzle: `db.insert(users).values(req.body)`, `db.update(users).set(req.body)`.
  if (
    /^(values|set)$/.test(method) &&
    ts.isCallExpression(unwrap(receiver)) &&
    /^(insert|update)$/.test(calleeName((unwrap(receiver) as ts.CallExpression).expression) ?? '')
  )
    return [
      { class: 'mass-assignment', name, args: [0], own: true, operation: 'write', by: 'shape' },
      { class: 'input', name, args: [0], operation: 'write', by: 'shape' },
    ];
  if (PRISMA_OPERATIONS.test(method) && isPrismaCall(shape) && !context.isMongo(receiver)) {
    const write = !/^(find|count|aggregate|groupBy)/.test(method);
    return [
      ...(write
        ? [
            {
              class: 'mass-assignment' as const,
              name,
              args: [0],
              props: ['data', 'create', 'update'],
              own: true,
              operation: 'write' as const,
              by: 'shape' as const,
            },
          ]
        : []),
      {
        class: 'input',
        name,
        args: [0],
        props: ['data', 'create', 'update', 'where'],
        operation: write ? 'write' : 'read',
        by: 'shape',
      },
    ];
  }
  const mongo =
    (MONGO_FILTER_METHODS.test(method) ||
      MONGO_WRITE_METHODS.test(method) ||
      /^(aggregate|mapReduce|distinct|findById|findByIdAndUpdate|findByIdAndDelete|bulkWrite|insertOne)$/.test(
        method,
      )) &&
    context.isMongo(receiver);
  const matches: SinkMatch[] = [];
  if (mongo) {
    if (MONGO_FILTER_METHODS.test(method)) matches.push({ class: 'nosql', name, args: [0], by: 'shape' });
    if (method === 'distinct') matches.push({ class: 'nosql', name, args: [1], by: 'shape' });
    if (method === 'mapReduce') matches.push({ class: 'nosql', name, args: 'all', by: 'shape', code: true });
    if (method === 'aggregate') matches.push({ class: 'nosql', name, args: [0], by: 'shape', code: true });
    // `$where` / `$function` anywhere in a filter or pipeline.
    matches.push({
      class: 'nosql',
      name,
      args: 'all',
      props: ['$where', '$function', '$accumulator'],
      by: 'shape',
      code: true,
    });
  }
  const persistence = mongo || context.isPersistence(receiver);
  if (persistence) {
    if (MASS_FIRST_ARGUMENT.test(method))
      matches.push({ class: 'mass-assignment', name, args: [0], own: true, operation: 'write', by: 'shape' });
    else if (MASS_SECOND_ARGUMENT.test(method))
      matches.push({ class: 'mass-assignment', name, args: [1], own: true, operation: 'write', by: 'shape' });
    else if (method === 'update')
      matches.push({
        class: 'mass-assignment',
        name,
        args: args.length >= 2 ? [0, 1] : [0],
        own: true,
        operation: 'write',
        by: 'shape',
      });
    if (PERSISTENCE_WRITE.test(method))
      matches.push({ class: 'input', name, args: 'all', operation: 'write', by: 'shape' });
    else if (PERSISTENCE_READ.test(method))
      matches.push({ class: 'input', name, args: 'all', operation: 'read', by: 'shape' });
  }
  return matches;
}

/** `prisma.user.create({ data })`, `this.prisma.post.findMany({ where })`, `tx.user.update(...)`. */
function isPrismaCall(shape: CallShape): boolean {
  const receiver = shape.receiver && unwrap(shape.receiver);
  if (!receiver || !ts.isPropertyAccessExpression(receiver)) return false;
  const client = unwrap(receiver.expression);
  const clientName = ts.isIdentifier(client)
    ? client.text
    : ts.isPropertyAccessExpression(client)
      ? client.name.text
      : '';
  if (/prisma|^db$|^tx$|^client$|^database$/i.test(clientName)) return true;
  const options = shape.args[0] && unwrap(shape.args[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  return options.properties.some((property) => {
    const key = property.name && propertyNameText(property.name);
    return key === 'data' || key === 'where' || key === 'select' || key === 'include';
  });
}
