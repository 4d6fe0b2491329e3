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

/**
 * Places the matches of a value that starts at `valueStart` in the file. `exact`: the value is the file's
 * text there, character for character; otherwise (escapes, folded YAML) the whole value is reported.
 */
export function locate(
  matches: readonly SecretMatch[],
  valueStart: number,
  valueEnd: number,
  exact: boolean,
  where?: string,
): FoundSecret[] {
  return matches.map((match) => ({
    match,
    start: exact ? valueStart + match.start : valueStart,
    end: exact ? valueStart + match.end : valueEnd,
    ...(where ? { where } : {}),
  }));
}

/**
 * Adds what a plain pass over the whole text finds (provider formats and private keys in comments, in
 * lines the structure did not cover) to what the structured pass found, each secret once.
 */
export function withTextPass(text: string, structured: FoundSecret[], providerOnly: boolean): FoundSecret[] {
  const found = structured.slice(0, MAX_SECRETS_PER_FILE);
  for (const match of detectSecretsInText(text, { providerOnly, limit: MAX_SECRETS_PER_FILE })) {
    if (found.length >= MAX_SECRETS_PER_FILE) break;
    if (!found.some((other) => match.start < other.end && other.start < match.end))
      found.push({ match, start: match.start, end: match.end });
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
