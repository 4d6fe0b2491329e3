/**
 * What a validation schema guarantees about the values it accepts, per field: zod, joi, yup, valibot, TypeBox,
 * JSON Schema (Fastify, ajv), class-validator DTO classes, express-validator chains. Only format-restricting checks
 * (integer, UUID, enum, email, anchored pattern, boolean, date) make a value safe for every sink; a free-form
 * string is typed (no operator objects, no extra fields) but still injectable into built strings.
 */
import { ts } from 'ts-morph';
import {
  calleeName,
  decoratorCall,
  decoratorsOf,
  literalText,
  propertyNameText,
  shortText,
  unwrap,
} from '../ast.ts';
import type { Resolver } from '../resolve.ts';
import { valueOfDeclaration } from '../resolve.ts';
import type { RequestPart } from './model.ts';
import { BIT, FORMAT, TYPED } from './value.ts';

export interface SchemaInfo {
  /** Sink classes the validated value as a whole is safe for. */
  bits: number;
  /** Known fields of an object schema. */
  fields?: ReadonlyMap<string, SchemaInfo>;
  /** Unknown keys are removed or rejected (no mass assignment through extra fields). */
  strips: boolean;
  /** `z.string()` at `src/schemas.ts:4`, for messages. */
  evidence: string;
}

const MAX_DEPTH = 8;

/** Methods and builders that restrict a value to a format. */
const FORMAT_NAMES =
  /^(number|int|integer|bigint|boolean|bool|date|literal|enum|nativeEnum|picklist|union_literal|uuid|guid|email|cuid|cuid2|ulid|nanoid|ipv4|ipv6|ip|cidr|isoDate|iso|datetime|time|duration|isoDateTime|isoTimestamp|alphanum|hex|token|base64|base64url|creditCard|valid|oneOf|equals|only|positive|negative|finite|safe|mongoId|objectId|emoji|mac|jwt|isoWeek|Integer|Number|Boolean|Literal|Enum|Date|Null|KeyOf|TemplateLiteral|port|domain|hostname|e164|stringbool)$/;
/** Builders of a free-form string (typed, not restricted). */
const STRING_NAMES = /^(string|str|String|url|uri|httpUrl|text|trim|nonEmpty|nonempty|min|max|length)$/;
/** Builders that accept anything: nothing is guaranteed. */
const OPEN_NAMES =
  /^(any|unknown|record|Record|Any|Unknown|custom|instanceof|json|object_any|lazy|Unsafe|mixed)$/;
const OBJECT_NAMES = /^(object|strictObject|looseObject|Object|keys|shape|strict_object)$/;
const ARRAY_NAMES = /^(array|Array|tuple|Tuple|set|items)$/;
const UNION_NAMES = /^(union|Union|discriminatedUnion|alternatives|or|variant|try)$/;
const KEEPS_UNKNOWN = /^(passthrough|catchall|loose|unknown|looseObject|unknownKeys)$/;
const STRIPS_UNKNOWN = /^(strict|strip|noUnknown|strictObject)$/;
const PATTERN_NAMES = /^(regex|pattern|matches|Matches)$/;

/** `^[a-z0-9-]+$`: a whole-string pattern (alternation at the top level breaks the anchoring). */
export function isAnchoredPattern(source: string): boolean {
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) return false;
  let depth = 0;
  for (let index = 1; index < source.length - 1; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === '|' && depth === 0) return false;
  }
  return true;
}

function regexSource(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  const target = unwrap(node);
  if (ts.isRegularExpressionLiteral(target)) {
    const text = target.text;
    return text.slice(1, text.lastIndexOf('/'));
  }
  if (ts.isNewExpression(target) && calleeName(target.expression) === 'RegExp')
    return literalText(target.arguments?.[0]);
  return literalText(target);
}

type Library = 'zod' | 'joi' | 'yup' | 'valibot' | 'typebox' | 'other';

export class SchemaReader {
  readonly #resolver: Resolver;
  readonly #position: (node: ts.Node) => string;
  readonly #cache = new Map<ts.Node, SchemaInfo | null>();

  constructor(resolver: Resolver, position: (node: ts.Node) => string) {
    this.#resolver = resolver;
    this.#position = position;
  }

  #evidence(node: ts.Node): string {
    return `${shortText(node, 40)} (${this.#position(node)})`;
  }

  /** What the schema an expression denotes guarantees; undefined when it is not recognisably a schema. */
  read(expression: ts.Expression | undefined, depth = 0): SchemaInfo | undefined {
    if (!expression || depth > MAX_DEPTH) return undefined;
    const target = unwrap(expression);
    const cached = this.#cache.get(target);
    if (cached !== undefined) return cached ?? undefined;
    this.#cache.set(target, null);
    const info = this.#read(target, depth);
    this.#cache.set(target, info ?? null);
    return info;
  }

  #read(target: ts.Expression, depth: number): SchemaInfo | undefined {
    if (ts.isIdentifier(target) || ts.isPropertyAccessExpression(target)) {
      for (const declaration of this.#resolver.declarationsOf(target)) {
        if (ts.isClassDeclaration(declaration)) return this.dto(declaration, true, depth + 1);
        const value = valueOfDeclaration(declaration);
        if (value && value !== target) {
          const info = this.read(value, depth + 1);
          if (info) return info;
        }
      }
      return undefined;
    }
    if (ts.isObjectLiteralExpression(target)) return this.#jsonSchema(target, depth);
    if (!ts.isCallExpression(target)) return undefined;
    return this.#builderChain(target, depth);
  }

  /** `z.object({...}).strict().optional()`: the builder at the root of a method chain, then its modifiers. */
  #builderChain(call: ts.CallExpression, depth: number): SchemaInfo | undefined {
    const modifiers: ts.CallExpression[] = [];
    let current: ts.Expression = call;
    let root: ts.CallExpression | undefined;
    for (let steps = 0; steps < 40; steps++) {
      const target = unwrap(current);
      if (!ts.isCallExpression(target)) break;
      const callee = unwrap(target.expression);
      if (ts.isPropertyAccessExpression(callee) && ts.isCallExpression(unwrap(callee.expression))) {
        modifiers.push(target);
        current = callee.expression;
        continue;
      }
      root = target;
      break;
    }
    if (!root) return undefined;
    const library = this.#library(root.expression);
    const name = calleeName(root.expression) ?? '';
    const coerce = /coerce\.\w+$/.test(root.expression.getText());
    let info = this.#base(root, name, library, depth);
    if (!info) {
      // A schema held in a variable, then refined: `UserSchema.extend({...}).strict()`.
      const receiver = unwrap(root.expression);
      if (ts.isPropertyAccessExpression(receiver)) {
        const inner = this.read(receiver.expression, depth + 1);
        if (inner) info = this.#modify(inner, name, root, library, depth);
      }
    }
    if (!info) return undefined;
    if (coerce && /^(number|bigint|boolean|date)$/.test(name))
      info = { ...info, bits: FORMAT, evidence: this.#evidence(root) };
    for (const modifier of modifiers.reverse()) {
      const modifierName = calleeName(modifier.expression) ?? '';
      info = this.#modify(info, modifierName, modifier, library, depth);
    }
    return info;
  }

  #library(callee: ts.Expression): Library {
    let head = unwrap(callee);
    while (ts.isPropertyAccessExpression(head) || ts.isCallExpression(head)) head = unwrap(head.expression);
    const binding = this.#resolver.importOf(head);
    const module = binding?.module ?? '';
    if (/^zod(\/|$)/.test(module)) return 'zod';
    if (/^(joi|@hapi\/joi)$/.test(module) || (module === 'celebrate' && binding?.name === 'Joi'))
      return 'joi';
    if (module === 'yup') return 'yup';
    if (module === 'valibot') return 'valibot';
    if (/typebox/.test(module)) return 'typebox';
    const text = ts.isIdentifier(head) ? head.text : '';
    if (text === 'z') return 'zod';
    if (text === 'Joi') return 'joi';
    if (text === 'yup') return 'yup';
    if (text === 'v') return 'valibot';
    if (text === 'Type' || text === 't') return 'typebox';
    return 'other';
  }

  #base(root: ts.CallExpression, name: string, library: Library, depth: number): SchemaInfo | undefined {
    if (library === 'other' && !/^(object|string|number|array|boolean)$/.test(name)) return undefined;
    const args = root.arguments;
    const evidence = this.#evidence(root);
    if (library === 'typebox' && name === 'String') return this.#typeboxString(args[0], evidence);
    if (OBJECT_NAMES.test(name) || (library === 'valibot' && name === 'object')) {
      const shape = args[0] && unwrap(args[0]);
      if (!shape || !ts.isObjectLiteralExpression(shape))
        return { bits: BIT.input, strips: library === 'joi', evidence };
      const fields = this.#fields(shape, depth);
      const strips =
        library === 'typebox'
          ? this.#noAdditional(args[1])
          : library === 'yup'
            ? false
            : name !== 'looseObject';
      return objectInfo(fields, strips, evidence);
    }
    if (library === 'valibot' && name === 'pipe') {
      const [schema, ...actions] = args;
      let info = this.read(schema, depth + 1);
      if (!info) return undefined;
      for (const action of actions) {
        const target = unwrap(action);
        if (ts.isCallExpression(target))
          info = this.#modify(info, calleeName(target.expression) ?? '', target, library, depth);
      }
      return info;
    }
    if (ARRAY_NAMES.test(name)) {
      const element = this.read(args[0], depth + 1);
      return element
        ? { bits: element.bits & ~BIT['mass-assignment'], strips: true, evidence }
        : { bits: BIT.input, strips: true, evidence };
    }
    if (UNION_NAMES.test(name)) {
      const list = args[0] && unwrap(args[0]);
      const members = list && ts.isArrayLiteralExpression(list) ? list.elements : args;
      const infos = members.map((member) => this.read(member as ts.Expression, depth + 1));
      if (infos.length === 0 || infos.some((info) => !info))
        return { bits: BIT.input, strips: false, evidence };
      return {
        bits: infos.reduce((bits, info) => bits & info!.bits, FORMAT),
        strips: infos.every((info) => info!.strips),
        evidence,
      };
    }
    if (
      /^(optional|nullable|nullish|Optional|Readonly|default|required|partial|Partial|Required)$/.test(name)
    ) {
      const inner = this.read(args[0], depth + 1);
      if (inner) return inner;
    }
    if (name === 'ref' || name === 'Ref') return { bits: BIT.input, strips: false, evidence };
    if (OPEN_NAMES.test(name)) return { bits: 0, strips: false, evidence };
    if (FORMAT_NAMES.test(name)) return { bits: FORMAT, strips: true, evidence };
    if (STRING_NAMES.test(name)) return { bits: TYPED, strips: true, evidence };
    return undefined;
  }

  #modify(
    info: SchemaInfo,
    name: string,
    call: ts.CallExpression,
    library: Library,
    depth: number,
  ): SchemaInfo {
    const evidence = info.evidence;
    if (KEEPS_UNKNOWN.test(name)) {
      // Joi's `.unknown(false)` and `.pattern()` keep the schema closed.
      if (name === 'unknown' && call.arguments[0]?.kind === ts.SyntaxKind.FalseKeyword) return info;
      return { ...info, strips: false, bits: info.bits & ~BIT['mass-assignment'] };
    }
    if (STRIPS_UNKNOWN.test(name)) return { ...info, strips: true, bits: info.bits | BIT['mass-assignment'] };
    if (
      /^(extend|merge|keys|append|and|safeExtend|shape)$/.test(name) &&
      (info.fields || call.arguments[0])
    ) {
      const shape = call.arguments[0] && unwrap(call.arguments[0]);
      const extra =
        shape && ts.isObjectLiteralExpression(shape)
          ? this.#fields(shape, depth)
          : this.read(call.arguments[0], depth + 1)?.fields;
      if (!extra) return info;
      return objectInfo(new Map([...(info.fields ?? []), ...extra]), info.strips, evidence);
    }
    if (/^(pick|omit)$/.test(name) && info.fields) {
      const keys = this.#keys(call.arguments[0]);
      if (!keys) return info;
      const fields = new Map(
        [...info.fields].filter(([key]) => (name === 'pick' ? keys.has(key) : !keys.has(key))),
      );
      return objectInfo(fields, info.strips, evidence);
    }
    if (/^(partial|deepPartial|required)$/.test(name)) return info;
    if (PATTERN_NAMES.test(name)) {
      const source = regexSource(call.arguments[0]);
      return source && isAnchoredPattern(source)
        ? { ...info, bits: FORMAT, evidence: this.#evidence(call) }
        : info;
    }
    if (/^(array)$/.test(name)) return { ...info, bits: info.bits & ~BIT['mass-assignment'] };
    if (/^(or)$/.test(name)) {
      const other = this.read(call.arguments[0], depth + 1);
      return other ? { ...info, bits: info.bits & other.bits } : { ...info, bits: BIT.input };
    }
    if (library !== 'typebox' && FORMAT_NAMES.test(name))
      return { ...info, bits: FORMAT, evidence: this.#evidence(call) };
    return info;
  }

  #keys(expression: ts.Expression | undefined): Set<string> | undefined {
    const target = expression && unwrap(expression);
    if (!target) return undefined;
    if (ts.isObjectLiteralExpression(target))
      return new Set(
        target.properties
          .map((p) => (p.name ? propertyNameText(p.name) : undefined))
          .filter((k) => !!k) as string[],
      );
    if (ts.isArrayLiteralExpression(target))
      return new Set(target.elements.map((e) => literalText(e)).filter((k): k is string => !!k));
    return undefined;
  }

  #fields(shape: ts.ObjectLiteralExpression, depth: number): Map<string, SchemaInfo> {
    const fields = new Map<string, SchemaInfo>();
    for (const property of shape.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.read(property.expression, depth + 1);
        if (spread?.fields) for (const [key, value] of spread.fields) fields.set(key, value);
        continue;
      }
      const name = property.name && propertyNameText(property.name);
      if (!name) continue;
      const value = ts.isPropertyAssignment(property)
        ? property.initializer
        : ts.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
      const info = value ? this.read(value, depth + 1) : undefined;
      fields.set(name, info ?? { bits: BIT.input, strips: false, evidence: this.#evidence(property) });
    }
    return fields;
  }

  #noAdditional(options: ts.Expression | undefined): boolean {
    const target = options && unwrap(options);
    if (!target || !ts.isObjectLiteralExpression(target)) return false;
    return target.properties.some(
      (p) =>
        ts.isPropertyAssignment(p) &&
        propertyNameText(p.name) === 'additionalProperties' &&
        p.initializer.kind === ts.SyntaxKind.FalseKeyword,
    );
  }

  #typeboxString(options: ts.Expression | undefined, evidence: string): SchemaInfo {
    const target = options && unwrap(options);
    if (target && ts.isObjectLiteralExpression(target)) {
      const format = literalText(objectValue(target, 'format'));
      const pattern = literalText(objectValue(target, 'pattern'));
      if ((format && RESTRICTING_FORMATS.test(format)) || (pattern && isAnchoredPattern(pattern)))
        return { bits: FORMAT, strips: true, evidence };
    }
    return { bits: TYPED, strips: true, evidence };
  }

  /** A JSON Schema object literal (Fastify route schemas, ajv). */
  #jsonSchema(schema: ts.ObjectLiteralExpression, depth: number): SchemaInfo | undefined {
    const evidence = this.#evidence(schema);
    const typeValue = objectValue(schema, 'type');
    const type = literalText(typeValue);
    const properties = objectValue(schema, 'properties');
    if (objectValue(schema, 'enum') || objectValue(schema, 'const'))
      return { bits: FORMAT, strips: true, evidence };
    if (type === 'object' || (properties && ts.isObjectLiteralExpression(unwrap(properties)))) {
      const fields = new Map<string, SchemaInfo>();
      const shape = properties && unwrap(properties);
      if (shape && ts.isObjectLiteralExpression(shape)) {
        for (const property of shape.properties) {
          const name = property.name && propertyNameText(property.name);
          if (!name || !ts.isPropertyAssignment(property)) continue;
          fields.set(
            name,
            this.read(property.initializer, depth + 1) ?? { bits: BIT.input, strips: false, evidence },
          );
        }
      }
      const additional = objectValue(schema, 'additionalProperties');
      return objectInfo(fields, additional?.kind === ts.SyntaxKind.FalseKeyword, evidence);
    }
    if (type === 'string') {
      const format = literalText(objectValue(schema, 'format'));
      const pattern = literalText(objectValue(schema, 'pattern'));
      if ((format && RESTRICTING_FORMATS.test(format)) || (pattern && isAnchoredPattern(pattern)))
        return { bits: FORMAT, strips: true, evidence };
      return { bits: TYPED, strips: true, evidence };
    }
    if (type && /^(integer|number|boolean|null)$/.test(type)) return { bits: FORMAT, strips: true, evidence };
    if (type === 'array') {
      const items = this.read(objectValue(schema, 'items'), depth + 1);
      return { bits: (items?.bits ?? BIT.input) & ~BIT['mass-assignment'], strips: true, evidence };
    }
    if (objectValue(schema, '$ref')) return { bits: BIT.input, strips: false, evidence };
    return undefined;
  }

  /**
   * A class-validator DTO: fields from decorated properties. `whitelist` (ValidationPipe) strips undecorated
   * properties; without it they pass through unchecked. A DTO declared as an interface or type alias validates
   * nothing (types are erased at run time): callers only pass classes here.
   */
  dto(declaration: ts.ClassLikeDeclaration, whitelist: boolean, depth = 0): SchemaInfo {
    const evidence = `${declaration.name?.text ?? 'DTO'} (${this.#position(declaration.name ?? declaration)})`;
    const fields = new Map<string, SchemaInfo>();
    for (const [name, info] of this.#inheritedFields(declaration, whitelist, depth)) fields.set(name, info);
    for (const member of declaration.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      const name = propertyNameText(member.name);
      if (!name) continue;
      const decorators = decoratorsOf(member)
        .map(decoratorCall)
        .filter((call): call is NonNullable<typeof call> => !!call);
      if (decorators.length === 0) {
        if (!whitelist) fields.set(name, { bits: 0, strips: false, evidence });
        else fields.delete(name);
        continue;
      }
      fields.set(name, this.#decoratedField(decorators, member, whitelist, depth));
    }
    return objectInfo(fields, whitelist, evidence);
  }

  #inheritedFields(
    declaration: ts.ClassLikeDeclaration,
    whitelist: boolean,
    depth: number,
  ): ReadonlyMap<string, SchemaInfo> {
    if (depth > MAX_DEPTH) return new Map();
    const clause = declaration.heritageClauses?.find((c) => c.token === ts.SyntaxKind.ExtendsKeyword);
    const base = clause?.types[0]?.expression;
    if (!base) return new Map();
    const target = unwrap(base);
    // `PartialType(CreateUserDto)`, `PickType(Dto, ['name'])`, `OmitType`, `IntersectionType(A, B)`.
    if (ts.isCallExpression(target)) {
      const name = calleeName(target.expression) ?? '';
      const fields = new Map<string, SchemaInfo>();
      const classes = name === 'IntersectionType' ? target.arguments : target.arguments.slice(0, 1);
      for (const argument of classes) {
        const inner = this.#classOf(argument);
        if (inner)
          for (const [key, value] of this.dto(inner, whitelist, depth + 1).fields ?? [])
            fields.set(key, value);
      }
      const keys = this.#keys(target.arguments[1]);
      if (keys && name === 'PickType')
        for (const key of [...fields.keys()]) if (!keys.has(key)) fields.delete(key);
      if (keys && name === 'OmitType') for (const key of keys) fields.delete(key);
      return fields;
    }
    const inner = this.#classOf(target);
    return inner ? (this.dto(inner, whitelist, depth + 1).fields ?? new Map()) : new Map();
  }

  #classOf(expression: ts.Expression): ts.ClassLikeDeclaration | undefined {
    const target = unwrap(expression);
    if (!ts.isIdentifier(target) && !ts.isPropertyAccessExpression(target)) return undefined;
    return this.#resolver
      .declarationsOf(target)
      .find(
        (d): d is ts.ClassDeclaration => ts.isClassDeclaration(d) && !d.getSourceFile().isDeclarationFile,
      );
  }

  #decoratedField(
    decorators: { name: string; args: readonly ts.Expression[] }[],
    member: ts.PropertyDeclaration,
    whitelist: boolean,
    depth: number,
  ): SchemaInfo {
    const evidence = `@${decorators.map((d) => d.name).join(' @')} ${propertyNameText(member.name)} (${this.#position(member)})`;
    let bits = BIT.input;
    let nested: SchemaInfo | undefined;
    for (const decorator of decorators) {
      if (CLASS_VALIDATOR_FORMAT.test(decorator.name)) bits = FORMAT;
      else if (decorator.name === 'Matches') {
        const source = regexSource(decorator.args[0]);
        if (source && isAnchoredPattern(source)) bits = FORMAT;
      } else if (CLASS_VALIDATOR_STRING.test(decorator.name) && bits !== FORMAT) bits = TYPED;
      else if (decorator.name === 'Type') {
        const factory = decorator.args[0] && unwrap(decorator.args[0]);
        const returned =
          factory && ts.isArrowFunction(factory) && !ts.isBlock(factory.body) ? factory.body : undefined;
        const nestedClass = returned && this.#classOf(returned);
        if (nestedClass) nested = this.dto(nestedClass, whitelist, depth + 1);
      }
    }
    if (nested && decorators.some((d) => d.name === 'ValidateNested'))
      return { ...nested, bits: nested.bits | (bits === FORMAT ? FORMAT : 0) };
    return { bits, strips: true, evidence };
  }

  /** express-validator: `body('email').isEmail()`, `param('id').isInt()`, `checkSchema({...})`. */
  expressValidator(
    expression: ts.Expression,
  ): { part: RequestPart | 'any'; field: string; info: SchemaInfo }[] | undefined {
    const target = unwrap(expression);
    if (!ts.isCallExpression(target)) return undefined;
    const methods: string[] = [];
    let current: ts.Expression = target;
    for (let steps = 0; steps < 40; steps++) {
      const call = unwrap(current);
      if (!ts.isCallExpression(call)) return undefined;
      const callee = unwrap(call.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        methods.push(callee.name.text);
        current = callee.expression;
        continue;
      }
      if (!ts.isIdentifier(callee)) return undefined;
      const binding = this.#resolver.importOf(callee);
      if (binding?.module !== 'express-validator') return undefined;
      const evidence = this.#evidence(target);
      if (binding.name === 'checkSchema') return this.#checkSchema(call.arguments[0], evidence);
      const part = EXPRESS_VALIDATOR_PARTS[binding.name];
      if (!part) return undefined;
      const fieldsArgument = call.arguments[0] && unwrap(call.arguments[0]);
      const names =
        fieldsArgument && ts.isArrayLiteralExpression(fieldsArgument)
          ? fieldsArgument.elements.map((e) => literalText(e))
          : [literalText(fieldsArgument)];
      const bits = expressValidatorBits(methods, call.parent);
      return names
        .filter((name): name is string => !!name)
        .map((name) => ({ part, field: name.split(/[.[]/)[0]!, info: { bits, strips: false, evidence } }));
    }
    return undefined;
  }

  #checkSchema(
    argument: ts.Expression | undefined,
    evidence: string,
  ): { part: RequestPart | 'any'; field: string; info: SchemaInfo }[] | undefined {
    const schema = argument && unwrap(argument);
    if (!schema || !ts.isObjectLiteralExpression(schema)) return undefined;
    const results: { part: RequestPart | 'any'; field: string; info: SchemaInfo }[] = [];
    for (const property of schema.properties) {
      const name = property.name && propertyNameText(property.name);
      if (!name || !ts.isPropertyAssignment(property)) continue;
      const rules = unwrap(property.initializer);
      if (!ts.isObjectLiteralExpression(rules)) continue;
      const keys = rules.properties.map((p) => (p.name ? propertyNameText(p.name) : undefined) ?? '');
      const location = objectValue(rules, 'in');
      const locationText =
        literalText(location) ??
        (location && ts.isArrayLiteralExpression(unwrap(location))
          ? literalText((unwrap(location) as ts.ArrayLiteralExpression).elements[0])
          : undefined);
      const part = (locationText && EXPRESS_VALIDATOR_PARTS[locationText]) || 'any';
      const bits = keys.some((k) => EXPRESS_VALIDATOR_FORMAT.test(k))
        ? FORMAT
        : keys.some((k) => /^(isString|isLength|trim|escape)$/.test(k))
          ? TYPED
          : BIT.input;
      results.push({ part, field: name.split(/[.[]/)[0]!, info: { bits, strips: false, evidence } });
    }
    return results;
  }
}

/** JSON Schema `format`s that restrict a string to a safe shape (`uri` does not: that is the attacker's URL). */
const RESTRICTING_FORMATS =
  /^(uuid|email|idn-email|date|date-time|time|ipv4|ipv6|hostname|int32|int64|duration)$/;

const CLASS_VALIDATOR_FORMAT =
  /^(IsInt|IsNumber|IsNumberString|IsPositive|IsNegative|IsBoolean|IsBooleanString|IsDate|IsDateString|IsISO8601|IsUUID|IsMongoId|IsEmail|IsEnum|IsIn|IsAlphanumeric|IsAlpha|IsHexadecimal|IsNumeric|IsDecimal|IsPhoneNumber|IsMobilePhone|IsPostalCode|IsISO31661Alpha2|IsISO31661Alpha3|IsISO4217CurrencyCode|IsLatitude|IsLongitude|IsLatLong|IsIP|IsPort|IsHash|IsHexColor|IsMACAddress|IsCurrency|IsTimeZone|IsLocale|IsFQDN|IsSemVer|IsBIC|IsIBAN|IsEthereumAddress|IsBtcAddress|IsJWT|Equals|IsMilitaryTime|IsISBN|IsUlid|IsCuid)$/;
const CLASS_VALIDATOR_STRING =
  /^(IsString|Length|MinLength|MaxLength|Contains|NotContains|IsUrl|IsJSON|IsNotEmptyString|IsAscii|IsLowercase|IsUppercase|IsArray|ArrayMaxSize|ArrayMinSize|ArrayNotEmpty)$/;

const EXPRESS_VALIDATOR_PARTS: Record<string, RequestPart | 'any'> = {
  body: 'body',
  param: 'params',
  params: 'params',
  query: 'query',
  cookie: 'cookies',
  cookies: 'cookies',
  header: 'headers',
  headers: 'headers',
  check: 'any',
};
const EXPRESS_VALIDATOR_FORMAT =
  /^(isEmail|isUUID|isInt|isNumeric|isFloat|isDecimal|isBoolean|isIn|isMongoId|isDate|isISO8601|isAlphanumeric|isAlpha|isHexadecimal|isPort|isIP|toInt|toFloat|toBoolean|toDate|isJWT|isCurrency|isPostalCode|isMobilePhone|isLatLong|isIBAN|isSlug|isHash|isULID|isTime|equals)$/;

function expressValidatorBits(methods: readonly string[], parent: ts.Node): number {
  for (const method of methods) {
    if (EXPRESS_VALIDATOR_FORMAT.test(method)) return FORMAT;
    if (method === 'matches') {
      const call = findCallOf(parent, method);
      const source = call && regexSource(call.arguments[0]);
      if (source && isAnchoredPattern(source)) return FORMAT;
    }
  }
  return methods.some((m) => /^(isString|isLength|trim|escape)$/.test(m)) ? TYPED : BIT.input;
}

function findCallOf(node: ts.Node, method: string): ts.CallExpression | undefined {
  let current: ts.Node | undefined = node;
  for (let steps = 0; current && steps < 40; steps++) {
    if (
      ts.isCallExpression(current) &&
      ts.isPropertyAccessExpression(current.expression) &&
      current.expression.name.text === method
    )
      return current;
    current = current.parent;
  }
  return undefined;
}

function objectInfo(fields: ReadonlyMap<string, SchemaInfo>, strips: boolean, evidence: string): SchemaInfo {
  let nosql = true;
  for (const field of fields.values()) if (!(field.bits & BIT.nosql)) nosql = false;
  return {
    bits: BIT.input | (strips ? BIT['mass-assignment'] : 0) | (nosql && strips ? BIT.nosql : 0),
    fields,
    strips,
    evidence,
  };
}

function objectValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of object.properties)
    if (ts.isPropertyAssignment(property) && propertyNameText(property.name) === name)
      return property.initializer;
  return undefined;
}
