import { fileURLToPath } from 'node:url';
import { readWorkspaceFile, type SafeReadOptions } from '../../workspace.ts';
import { Resolver } from './spectral.ts';

/** Messages start with this so results can be told apart after Spectral reformats them. */
export const REMOTE_REF_BLOCKED = 'Remote $ref not fetched';

interface RefUri {
  scheme(): string;
  path(): string;
  toString(): string;
}

/**
 * A `$ref` resolver that never touches the network and never reads outside the workspace. Every scheme is
 * registered explicitly: the underlying resolver sends any scheme it has no reader for to the file reader.
 */
export function createSafeResolver(options: SafeReadOptions, onRead: (path: string) => void) {
  const refuseRemote = {
    async resolve(ref: RefUri): Promise<string> {
      throw new Error(`${REMOTE_REF_BLOCKED}: ${ref.toString()} (apiguard never fetches over the network)`);
    },
  };
  const file = {
    async resolve(ref: RefUri): Promise<string> {
      const scheme = ref.scheme();
      if (scheme !== '' && scheme !== 'file') return refuseRemote.resolve(ref);
      const path = scheme === 'file' ? fileURLToPath(ref.toString().replace(/#.*$/, '')) : ref.path();
      const content = readWorkspaceFile(path, options);
      onRead(path);
      return content;
    },
  };
  return new Resolver({ resolvers: { http: refuseRemote, https: refuseRemote, file } });
}
