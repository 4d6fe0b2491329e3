import { deref, isObject } from '../functions/openapi.ts';
import { nameWords, parameterSchema, requestParameters } from '../functions/request-fields.ts';
import { schemaTypes } from '../functions/schemas.ts';
import { defineSpecRule } from './rule.ts';

/** Name endings (words joined) that denote personal data, with what they are. */
const PERSONAL_DATA = new Map<string, string>([
  ['email', 'an email address'],
  ['emails', 'email addresses'],
  ['emailaddress', 'an email address'],
  ['ssn', 'a social security number'],
  ['socialsecurity', 'a social security number'],
  ['socialsecuritynumber', 'a social security number'],
  ['dob', 'a date of birth'],
  ['dateofbirth', 'a date of birth'],
  ['birthdate', 'a date of birth'],
  ['birthday', 'a date of birth'],
  ['phone', 'a phone number'],
  ['phonenumber', 'a phone number'],
  ['phoneno', 'a phone number'],
  ['mobile', 'a phone number'],
  ['mobilenumber', 'a phone number'],
  ['mobilephone', 'a phone number'],
  ['telephone', 'a phone number'],
  ['telephonenumber', 'a phone number'],
  ['msisdn', 'a phone number'],
  ['address', 'a postal address'],
  ['streetaddress', 'a postal address'],
  ['homeaddress', 'a postal address'],
  ['postaladdress', 'a postal address'],
  ['passport', 'a passport number'],
  ['passportnumber', 'a passport number'],
  ['passportno', 'a passport number'],
  ['nationalid', 'a national identity number'],
  ['nationalidnumber', 'a national identity number'],
  ['taxid', 'a tax identification number'],
  ['taxidnumber', 'a tax identification number'],
  ['creditcard', 'a payment card number'],
  ['creditcardnumber', 'a payment card number'],
  ['cardnumber', 'a payment card number'],
  ['cvv', 'a card security code'],
  ['cvc', 'a card security code'],
  ['iban', 'a bank account number'],
]);

/** `ip_address`, `wallet_address`…: addresses that are not where a person lives. */
const NOT_POSTAL = new Set([
  'ip',
  'ipv4',
  'ipv6',
  'mac',
  'wallet',
  'contract',
  'host',
  'server',
  'node',
  'network',
  'remote',
  'local',
  'bind',
  'listen',
  'web',
  'url',
  'memory',
  'base',
  'public',
  'private',
  'token',
  'account',
  'from',
  'to',
]);

/** What personal data a parameter name denotes, judged by its last words (`user_email`, `filter[phone]`). */
function personalDataIn(name: string): string | undefined {
  const words = nameWords(name);
  for (let count = Math.min(4, words.length); count >= 1; count--) {
    const kind = PERSONAL_DATA.get(words.slice(-count).join(''));
    if (!kind) continue;
    if (kind === 'a postal address' && count === 1 && NOT_POSTAL.has(words.at(-2) ?? '')) return undefined;
    return kind;
  }
  return undefined;
}

export default defineSpecRule({
  meta: {
    id: 'pii-in-query',
    engine: 'openapi',
    severity: 'warning',
    title: 'A query parameter carries personal data (email, phone number, date of birth, SSN, card number…).',
    rationale:
      'Query strings are written to web server, proxy and CDN access logs, kept in browser history and sent ' +
      'to other sites in the `Referer` header. Personal data there leaks to everyone who can read those logs ' +
      'and outlives any retention policy.',
    fix:
      'Send personal data in the request body (e.g. a `POST /users/search`) or in a header, or look records up ' +
      'by an opaque id instead.',
    cwe: ['CWE-598'],
    owasp: ['API3:2023', 'API8:2023'],
    category: 'data-exposure',
    formats: ['oas2', 'oas3.0', 'oas3.1'],
    examples: {
      language: 'yaml',
      vulnerable: 'parameters:\n  - name: email\n    in: query\n    schema: { type: string }\n',
      safe: 'requestBody:\n  content:\n    application/json:\n      schema:\n        properties:\n          email: { type: string }\n',
    },
  },
  given: '$',
  resolved: false,
  fragments: true,
  then: {
    function: (doc: unknown) =>
      requestParameters(doc).flatMap((entry) => {
        if (entry.in !== 'query') return [];
        const kind = personalDataIn(entry.name);
        if (!kind) return [];
        const schema = deref(doc, parameterSchema(entry.parameter)?.schema, []).node;
        // `mobile=true` is a flag, not a phone number.
        if (
          isObject(schema) &&
          schemaTypes(schema).every((type) => type === 'boolean') &&
          schemaTypes(schema).length > 0
        ) {
          return [];
        }
        return [
          {
            message: `Query parameter \`${entry.name}\` carries ${kind}, which ends up in access logs, browser history and Referer headers. Send it in the request body or a header, or look the record up by an opaque id.`,
            path: [...entry.path, 'name'],
          },
        ];
      }),
  },
});
