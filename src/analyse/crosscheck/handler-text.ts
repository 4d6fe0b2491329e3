/**
 * The source text of a route handler, from the position the code engine reports to the end of the function,
 * found with a small JavaScript scanner (strings, template literals, comments and regular expressions skipped).
 * The code engine gives where a handler starts, not where it ends.
 */

/** A handler longer than this is not read as one function. */
const MAX_HANDLER_CHARS = 200_000;

/** What a handler can start with: a function, an arrow function, a method (with modifiers) or a declaration. */
const FUNCTION_START =
  /^(?:export\s+)?(?:default\s+)?(?:(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*)?(?:(?:public|private|protected|static|async|override)\s+)*(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>|[A-Za-z_$][\w$]*\s*[(<]|\*)/;

export function offsetOf(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return undefined;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * The text of the function that starts at (line, column), or undefined when what is there is not a function
 * (an identifier naming a handler defined elsewhere) or its end cannot be found.
 */
export function functionTextAt(text: string, line: number, column: number): string | undefined {
  const start = offsetOf(text, line, column);
  if (start === undefined || start >= text.length) return undefined;
  if (!FUNCTION_START.test(text.slice(start, start + 400))) return undefined;
  const end = functionEnd(text, start);
  return end === undefined ? undefined : text.slice(start, end);
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
]);

function functionEnd(text: string, start: number): number | undefined {
  const limit = Math.min(text.length, start + MAX_HANDLER_CHARS);
  let depth = 0;
  /** A parameter list or `=>` has been seen at depth 0: the next `{` at depth 0 is the body. */
  let signatureSeen = false;
  let expressionBody = false;
  let previous = '';
  let index = start;
  while (index < limit) {
    const char = text[index]!;
    const next = text[index + 1];
    if (char === '/' && next === '/') {
      const newline = text.indexOf('\n', index);
      index = newline === -1 ? limit : newline;
      continue;
    }
    if (char === '/' && next === '*') {
      const close = text.indexOf('*/', index + 2);
      if (close === -1) return undefined;
      index = close + 2;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      const after = skipString(text, index, limit);
      if (after === undefined) return undefined;
      index = after;
      previous = 'a';
      continue;
    }
    if (
      char === '/' &&
      (BEFORE_REGEX.has(previous) ||
        previous === '' ||
        /\b(return|typeof|case|of|in)$/.test(text.slice(Math.max(start, index - 8), index).trimEnd()))
    ) {
      const after = skipRegex(text, index, limit);
      if (after === undefined) return undefined;
      index = after;
      previous = 'a';
      continue;
    }
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === '=' && next === '>' && depth === 0) {
      signatureSeen = true;
      index += 2;
      previous = '>';
      const body = /\S/.exec(text.slice(index, index + 200));
      if (body && body[0] !== '{') expressionBody = true;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      depth++;
    } else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth < 0) return index;
      if (depth === 0 && char === ')') signatureSeen = true;
      if (depth === 0 && char === '}' && signatureSeen && !expressionBody) return index + 1;
    } else if (depth === 0 && expressionBody && (char === ',' || char === ';')) {
      return index;
    }
    previous = char;
    index++;
  }
  return expressionBody && index >= text.length ? index : undefined;
}

function skipString(text: string, start: number, limit: number): number | undefined {
  const quote = text[start]!;
  let index = start + 1;
  while (index < limit) {
    const char = text[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === quote) return index + 1;
    if (quote !== '`' && char === '\n') return undefined;
    if (quote === '`' && char === '$' && text[index + 1] === '{') {
      const end = functionEndOfExpression(text, index + 2, limit);
      if (end === undefined) return undefined;
      index = end + 1;
      continue;
    }
    index++;
  }
  return undefined;
}

/** The `}` closing a template literal's `${…}`. */
function functionEndOfExpression(text: string, start: number, limit: number): number | undefined {
  let depth = 0;
  let index = start;
  while (index < limit) {
    const char = text[index]!;
    if (char === '"' || char === "'" || char === '`') {
      const after = skipString(text, index, limit);
      if (after === undefined) return undefined;
      index = after;
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0) return index;
      depth--;
    }
    index++;
  }
  return undefined;
}

function skipRegex(text: string, start: number, limit: number): number | undefined {
  let index = start + 1;
  let inClass = false;
  while (index < limit) {
    const char = text[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '\n') return undefined;
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) {
      index++;
      while (index < limit && /[a-z]/i.test(text[index]!)) index++;
      return index;
    }
    index++;
  }
  return undefined;
}
