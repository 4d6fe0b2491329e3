import packageJson from '../../package.json' with { type: 'json' };

export const TOOL = {
  name: 'apiguard',
  version: packageJson.version,
  informationUri: 'https://github.com/apiguard/apiguard',
} as const;
