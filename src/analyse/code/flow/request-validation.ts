/**
 * Validation that runs before a handler, per request part: celebrate, express-validator chains (effective only
 * when `validationResult` is checked), `@hono/zod-validator`-style middleware, a project's own
 * `validate(schema)` middleware, Fastify route schemas.
 */
import { ts } from 'ts-morph';
import { calleeName, literalText, objectProperty, propertyNameText, unwrap } from '../ast.ts';
import type { Resolver } from '../resolve.ts';
import type { RequestPart } from './model.ts';
import type { SchemaInfo, SchemaReader } from './schemas.ts';
import { BIT, clear, member, type Val, withProps } from './value.ts';

export type ValidatedPart = RequestPart | 'any';
export type RequestValidation = ReadonlyMap<ValidatedPart, SchemaInfo>;

/** What one middleware validates: whole parts (a schema) or single fields (express-validator). */
export interface PartValidation {
  part: ValidatedPart;
  info: SchemaInfo;
  /** express-validator: one field of the part, effective only once `validationResult` is checked. */
  field?: string;
}

/** The value after validation by a schema: cleared as a whole, and field by field where the schema says. */
export function applySchema(value: Val, info: SchemaInfo, depth = 0): Val {
  let result = clear(value, info.bits, info.evidence);
  if (info.fields && depth < 4) {
    const props = new Map<string, Val>();
    for (const [name, field] of info.fields)
      props.set(name, applySchema(member(value, name), field, depth + 1));
    result = withProps(result, props);
  }
  return result;
}

const PARTS: Record<string, ValidatedPart> = {
  body: 'body',
  BODY: 'body',
  json: 'body',
  form: 'body',
  query: 'query',
  QUERY: 'query',
  querystring: 'query',
  params: 'params',
  PARAMS: 'params',
  param: 'params',
  headers: 'headers',
  HEADERS: 'headers',
  header: 'headers',
  cookies: 'cookies',
  COOKIES: 'cookies',
  cookie: 'cookies',
};

export class ValidationRecogniser {
  readonly #resolver: Resolver;
  readonly #schemas: SchemaReader;

  constructor(resolver: Resolver, schemas: SchemaReader) {
    this.#resolver = resolver;
    this.#schemas = schemas;
  }

  /** What a route middleware validates; undefined when it is not validation. */
  ofMiddleware(expression: ts.Expression): PartValidation[] | undefined {
    const target = unwrap(expression);
    if (ts.isArrayLiteralExpression(target)) {
      const parts = target.elements.flatMap((element) => this.ofMiddleware(element as ts.Expression) ?? []);
      return parts.length > 0 ? parts : undefined;
    }
    if (!ts.isCallExpression(target)) return undefined;
    const chain = this.#schemas.expressValidator(target);
    if (chain) return chain.map(({ part, field, info }) => ({ part, field, info }));
    const callee = unwrap(target.expression);
    const binding = this.#resolver.importOf(ts.isCallExpression(callee) ? unwrap(callee.expression) : callee);
    const module = binding?.module ?? '';
    if (module === 'celebrate' || /^celebrate$/.test(calleeName(callee) ?? ''))
      return this.#celebrate(target.arguments[0]);
    if (
      /^@hono\/(zod|typebox|valibot|arktype|effect|standard|typia)-validator$|^hono\/validator$/.test(
        module,
      ) ||
      /^(zValidator|tbValidator|vValidator|sValidator|validator|arktypeValidator|typiaValidator)$/.test(
        calleeName(callee) ?? '',
      )
    ) {
      const part = PARTS[literalText(target.arguments[0]) ?? ''];
      if (!part) return undefined;
      const info =
        this.#schemas.read(target.arguments[1]) ??
        ({
          bits: BIT.input,
          strips: false,
          evidence: calleeName(callee) ?? 'validator',
        } satisfies SchemaInfo);
      return [{ part, info }];
    }
    return this.#projectValidator(target);
  }

  /** `validate(CreateUserSchema)`, `validateRequest({ body: schema })`: a project middleware given a schema. */
  #projectValidator(call: ts.CallExpression): PartValidation[] | undefined {
    if (!/valid|schema|check|parse|guard|assert/i.test(calleeName(call.expression) ?? '')) return undefined;
    for (const argument of call.arguments) {
      const target = unwrap(argument);
      if (ts.isObjectLiteralExpression(target)) {
        const parts: PartValidation[] = [];
        for (const property of target.properties) {
          const part = property.name && PARTS[propertyNameText(property.name) ?? ''];
          if (!part || !ts.isPropertyAssignment(property)) continue;
          const info = this.#schemas.read(property.initializer);
          if (info) parts.push({ part, info });
        }
        if (parts.length > 0) return parts;
        continue;
      }
      const info = this.#schemas.read(argument);
      if (!info) continue;
      // A schema over the whole request (`z.object({ body: …, params: … })`) validates each part.
      const keys = [...(info.fields?.keys() ?? [])];
      if (keys.length > 0 && keys.every((key) => /^(body|query|params|headers|cookies)$/.test(key)))
        return keys.map((key) => ({ part: PARTS[key]!, info: info.fields!.get(key)! }));
      return [{ part: 'body', info }];
    }
    return undefined;
  }

  #celebrate(argument: ts.Expression | undefined): PartValidation[] | undefined {
    const target = argument && unwrap(argument);
    if (!target || !ts.isObjectLiteralExpression(target)) return undefined;
    const parts: PartValidation[] = [];
    for (const property of target.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = ts.isComputedPropertyName(property.name)
        ? property.name.expression.getText().split('.').pop()!
        : (propertyNameText(property.name) ?? '');
      const part = PARTS[key];
      if (!part) continue;
      const info = this.#schemas.read(property.initializer);
      if (info) parts.push({ part, info });
    }
    return parts.length > 0 ? parts : undefined;
  }

  /** Fastify `{ schema: { body, querystring, params, headers } }` in a route's options. */
  ofFastifyOptions(options: ts.Expression | undefined): PartValidation[] {
    const target = options && unwrap(options);
    if (!target) return [];
    let schema = objectProperty(target, 'schema');
    if (!schema) return [];
    schema = unwrap(schema);
    if (ts.isIdentifier(schema)) {
      const value = this.#resolver.valuesOf(schema)[0];
      if (value) schema = unwrap(value);
    }
    if (!ts.isObjectLiteralExpression(schema)) return [];
    const parts: PartValidation[] = [];
    for (const key of ['body', 'querystring', 'query', 'params', 'headers']) {
      const value = objectProperty(schema, key);
      if (!value) continue;
      const info = this.#schemas.read(value);
      parts.push({ part: PARTS[key]!, info: info ?? { bits: BIT.input, strips: false, evidence: key } });
    }
    return parts;
  }

  /** The validation a handler sees from its route's middleware. */
  static combine(parts: readonly PartValidation[], resultChecked: boolean): Map<ValidatedPart, SchemaInfo> {
    const validation = new Map<ValidatedPart, SchemaInfo>();
    for (const { part, info, field } of parts) {
      if (field !== undefined) {
        if (!resultChecked) continue;
        const existing = validation.get(part) ?? {
          bits: 0,
          strips: false,
          evidence: info.evidence,
          fields: new Map(),
        };
        const fields = new Map(existing.fields ?? []);
        fields.set(field, info);
        validation.set(part, { ...existing, fields });
        continue;
      }
      validation.set(part, info);
    }
    return validation;
  }
}
