import { detectSecretsInText, redactSecrets, type SecretMatch } from './index.ts';

/** A secret located in a file: what the detector says about it and where it is in the file's text. */
export interface FoundSecret {
  match: SecretMatch;
  /** Offsets in the file's text: the secret, or the whole literal when decoding escapes shifted them. */
  start: number;
  end: number;
  /** How the code names or uses the value, for the message: `passed to crypto.createHmac()`. */
  where?: string;
}

/** At most this many secrets are reported per file: more is a generated or hostile file. */
export const MAX_SECRETS_PER_FILE = 50;

/** `name = `, `"name": "`, `name: Bearer ` right before a match: the name the text itself gives it. */
const NAME_BEFORE =
  /([A-Za-z][A-Za-z0-9_.-]{0,63})["']?[ \t]{0,8}(?:=>|=|:)[ \t]{0,8}["'`]?(?:(?:Bearer|Basic|Token|bearer|basic|token)[ \t]{1,4})?$/;

function nameBefore(text: string, start: number): string | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - 120);
  return NAME_BEFORE.exec(text.slice(lineStart, start))?.[1];
}

/**
 * Places the matches of a value that starts at `valueStart` in the file. `exact`: the value is the file's
 * text there, character for character; otherwise (escapes, folded YAML) the whole value is reported. A
 * match inside the value under a name of its own (`- POSTGRES_PASSWORD=…` in a list) is said to be there.
 */
export function locate(
  value: string,
  matches: readonly SecretMatch[],
  valueStart: number,
  valueEnd: number,
  exact: boolean,
  where?: string,
): FoundSecret[] {
  return matches.map((match) => {
    const inner = match.start > 0 ? nameBefore(value, match.start) : undefined;
    const place = inner ? `in ${quoted(inner)}` : where;
    return {
      match,
      start: exact ? valueStart + match.start : valueStart,
      end: exact ? valueStart + match.end : valueEnd,
      ...(place ? { where: place } : {}),
    };
  });
}

/**
 * Adds what a plain pass over the whole text finds (provider formats and private keys in comments, in
 * lines the structure did not cover) to what the structured pass found, each secret once.
 */
export function withTextPass(text: string, structured: FoundSecret[], providerOnly: boolean): FoundSecret[] {
  const found = structured.slice(0, MAX_SECRETS_PER_FILE);
  for (const match of detectSecretsInText(text, { providerOnly, limit: MAX_SECRETS_PER_FILE })) {
    if (found.length >= MAX_SECRETS_PER_FILE) break;
    if (found.some((other) => match.start < other.end && other.start < match.end)) continue;
    const name = nameBefore(text, match.start);
    found.push({
      match,
      start: match.start,
      end: match.end,
      ...(name ? { where: `in ${quoted(name)}` } : {}),
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Code or a key quoted in a message: names are not secrets, but a hostile file could make one look like one. */
export function shown(code: string): string {
  const text = redactSecrets(code.replace(/\s+/g, ' '));
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export function quoted(name: string): string {
  return `"${shown(name)}"`;
}
