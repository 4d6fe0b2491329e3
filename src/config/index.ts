export { ConfigError, findConfigFile, loadConfig } from './load.ts';
export { type Config, DEFAULT_CONFIG, type RuleSetting } from './schema.ts';
export { disabledRules, ruleSetting } from './severity.ts';
