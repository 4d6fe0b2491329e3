export type JsonPathSegments = readonly (string | number)[];

/** `['paths', '/users', 'get']` → `$.paths["/users"].get` */
export function formatJsonPath(path: JsonPathSegments): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}
