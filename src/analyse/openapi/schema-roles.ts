import { HTTP_METHODS, isOas2, isObject, WRITE_METHODS } from '../../../rulesets/functions/openapi.ts';
import { childSchemas, type SchemaRole, type SchemaRoles } from '../../../rulesets/functions/schemas.ts';
import { childOf as child, createRefFollower, type SpecLocation as Location } from './refs.ts';

/** Bounds the walk on hostile documents. */
const MAX_VISITS = 500_000;

/**
 * Finds which schemas of the files a spec references are request input, write request bodies or
 * responses, following `$ref`s across files. Rules linting a referenced file on its own need this: the
 * file alone does not say whether a schema is ever sent by a client.
 */
export function schemaRolesAcrossFiles(
  rootFile: string,
  rootData: unknown,
  load: (file: string) => unknown,
): Map<string, SchemaRoles> {
  const dataOf = (file: string) => (file === rootFile ? rootData : load(file));
  const roles = new Map<string, SchemaRoles>();
  const seen = new Set<string>();
  let visits = 0;

  const follow = createRefFollower(dataOf);

  const walkSchemas = (start: Location, role: SchemaRole) => {
    const stack = [start];
    while (stack.length > 0 && visits < MAX_VISITS) {
      const at = follow(stack.pop()!);
      if (!at || !isObject(at.node)) continue;
      const key = `${role}\0${at.file}\0${JSON.stringify(at.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      visits++;
      if (at.file !== rootFile) {
        const fileRoles = roles.get(at.file) ?? { input: [], writeBody: [], response: [] };
        fileRoles[role].push(at.path);
        roles.set(at.file, fileRoles);
      }
      for (const child of childSchemas(at.node, at.path))
        stack.push({ file: at.file, path: child.path, node: child.schema });
    }
  };

  const oas2 = isOas2(rootData);
  const mediaSchemas = (holder: Location): Location[] => {
    if (!isObject(holder.node)) return [];
    const found: Location[] = [];
    if (isObject(holder.node.content)) {
      for (const [media, entry] of Object.entries(holder.node.content)) {
        if (isObject(entry))
          found.push({
            file: holder.file,
            path: [...holder.path, 'content', media, 'schema'],
            node: entry.schema,
          });
      }
    }
    if (oas2 && holder.node.schema !== undefined)
      found.push({ file: holder.file, path: [...holder.path, 'schema'], node: holder.node.schema });
    return found;
  };
  const paths = isObject(rootData) ? rootData.paths : undefined;
  if (!isObject(paths)) return roles;
  for (const route of Object.keys(paths)) {
    const item = follow({ file: rootFile, path: ['paths', route], node: paths[route] });
    if (!item || !isObject(item.node)) continue;
    const sharedParameters = child(item, 'parameters');
    for (const method of HTTP_METHODS) {
      const operation = follow(child(item, method));
      if (!operation || !isObject(operation.node)) continue;
      const write = WRITE_METHODS.has(method);
      for (const list of [sharedParameters, child(operation, 'parameters')]) {
        if (!Array.isArray(list.node)) continue;
        list.node.forEach((_, index) => {
          const parameter = follow(child(list, index));
          if (!parameter || !isObject(parameter.node)) return;
          const place = parameter.node.in;
          if (oas2 && place !== 'body') walkSchemas(parameter, 'input');
          for (const schema of [child(parameter, 'schema'), ...mediaSchemas(parameter)]) {
            if (schema.node === undefined) continue;
            walkSchemas(schema, 'input');
            if (write && place === 'body') walkSchemas(schema, 'writeBody');
          }
        });
      }
      const body = follow(child(operation, 'requestBody'));
      if (body) {
        for (const schema of mediaSchemas(body)) {
          walkSchemas(schema, 'input');
          if (write) walkSchemas(schema, 'writeBody');
        }
      }
      const responses = child(operation, 'responses');
      if (isObject(responses.node)) {
        for (const code of Object.keys(responses.node)) {
          const response = follow(child(responses, code));
          if (response) for (const schema of mediaSchemas(response)) walkSchemas(schema, 'response');
        }
      }
    }
  }
  return roles;
}
