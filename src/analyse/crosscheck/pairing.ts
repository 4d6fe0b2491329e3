/**
 * Which spec describes which code. Configured pairs (`crossCheck.pairs`) are authoritative; otherwise a spec is
 * paired with the code of its own package (nearest `package.json`), or with the only service there is, or with
 * the service whose routes implement most of its operations. A tie is reported, never broken by guessing.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import { isInside } from '../../workspace.ts';
import type { Route } from '../code/index.ts';
import { matchOperations, RouteIndex } from './match.ts';
import type { SpecModel } from './spec-model.ts';

export interface PairConfig {
  /** Glob of spec files, relative to the workspace root. */
  spec: string;
  /** Globs of the source files whose routes the spec describes. */
  code: string | readonly string[];
}

export interface Pairing {
  spec: SpecModel;
  /** The code, as shown to users: a package folder (`packages/api`), `the repository`, or the configured globs. */
  code: string;
  routes: Route[];
  pairedBy: 'configuration' | 'package' | 'only service' | 'most operations';
}

export interface UnpairedSpec {
  spec: string;
  why: string;
}

export interface PairingOptions {
  cwd: string;
  workspace: string;
  pairs?: readonly PairConfig[];
}

interface Service {
  /** Package folder relative to the workspace, `''` for its root. */
  root: string;
  routes: Route[];
}

const toPosix = (path: string) => path.split(sep).join('/');

export function pairSpecs(
  specs: readonly SpecModel[],
  routes: readonly Route[],
  options: PairingOptions,
): { pairings: Pairing[]; unpaired: UnpairedSpec[] } {
  const workspacePath = (file: string) => toPosix(relative(options.workspace, resolve(options.cwd, file)));
  if (options.pairs && options.pairs.length > 0)
    return configuredPairs(specs, routes, options.pairs, workspacePath);

  const packageRoot = packageRootFinder(options.workspace);
  const services = new Map<string, Service>();
  for (const route of routes) {
    const root = packageRoot(resolve(options.cwd, route.registration.file));
    const service = services.get(root) ?? { root, routes: [] };
    service.routes.push(route);
    services.set(root, service);
  }
  const pairings: Pairing[] = [];
  const unpaired: UnpairedSpec[] = [];
  const indexes = new Map<Service, RouteIndex>();
  const indexOf = (service: Service) => {
    let index = indexes.get(service);
    if (!index) {
      index = new RouteIndex(service.routes);
      indexes.set(service, index);
    }
    return index;
  };
  const describe = (service: Service) => (service.root === '' ? 'the repository' : service.root);
  for (const spec of specs) {
    if (services.size === 0) break;
    const own = services.get(packageRoot(spec.file));
    if (own) {
      pairings.push({ spec, code: describe(own), routes: own.routes, pairedBy: 'package' });
      continue;
    }
    if (services.size === 1) {
      const only = [...services.values()][0]!;
      pairings.push({ spec, code: describe(only), routes: only.routes, pairedBy: 'only service' });
      continue;
    }
    const scored = [...services.values()]
      .map((service) => ({ service, matched: matchOperations(spec.operations, indexOf(service)).matched }))
      .sort((a, b) => b.matched - a.matched);
    const [first, second] = scored;
    if (!first || first.matched === 0) {
      unpaired.push({
        spec: spec.spec,
        why: `none of the ${services.size} services (${[...services.values()].map(describe).join(', ')}) implements any of its operations; pair it in crossCheck.pairs`,
      });
    } else if (second && second.matched === first.matched) {
      unpaired.push({
        spec: spec.spec,
        why: `${describe(first.service)} and ${describe(second.service)} implement as many of its operations (${first.matched}); pair it in crossCheck.pairs`,
      });
    } else {
      pairings.push({
        spec,
        code: describe(first.service),
        routes: first.service.routes,
        pairedBy: 'most operations',
      });
    }
  }
  return { pairings, unpaired };
}

function configuredPairs(
  specs: readonly SpecModel[],
  routes: readonly Route[],
  pairs: readonly PairConfig[],
  workspacePath: (file: string) => string,
): { pairings: Pairing[]; unpaired: UnpairedSpec[] } {
  const matches = (path: string, glob: string) =>
    minimatch(path, glob, { dot: true, matchBase: !glob.includes('/') });
  const pairings: Pairing[] = [];
  const unpaired: UnpairedSpec[] = [];
  for (const spec of specs) {
    const configured = pairs.filter((pair) => matches(workspacePath(spec.file), pair.spec));
    if (configured.length === 0) {
      unpaired.push({ spec: spec.spec, why: 'crossCheck.pairs does not list it' });
      continue;
    }
    const globs = [...new Set(configured.flatMap((pair) => [pair.code].flat()))];
    pairings.push({
      spec,
      code: globs.join(', '),
      routes: routes.filter((route) =>
        globs.some((glob) => matches(workspacePath(route.registration.file), glob)),
      ),
      pairedBy: 'configuration',
    });
  }
  return { pairings, unpaired };
}

/** The nearest folder with a `package.json` at or above a file, inside the workspace (`''`: its root). */
function packageRootFinder(workspace: string): (file: string) => string {
  const cache = new Map<string, string>();
  const rootOf = (dir: string): string => {
    const cached = cache.get(dir);
    if (cached !== undefined) return cached;
    let found: string;
    if (dir === workspace || !isInside(workspace, dir) || dirname(dir) === dir) found = '';
    else if (existsSync(join(dir, 'package.json'))) found = toPosix(relative(workspace, dir));
    else found = rootOf(dirname(dir));
    cache.set(dir, found);
    return found;
  };
  return (file) => rootOf(dirname(file));
}
