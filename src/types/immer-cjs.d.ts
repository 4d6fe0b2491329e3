/** The CommonJS entry of immer 9, the instance `@stoplight/json-ref-resolver` requires. */
declare module 'immer/dist/index.js' {
  interface ImmerSettings {
    setAutoFreeze(value: boolean): void;
  }
  /** Present when the importer exposes the CommonJS exports as named exports (esbuild, Vitest). */
  export const setAutoFreeze: ImmerSettings['setAutoFreeze'] | undefined;
  /** The whole `module.exports` (Node's own ESM loader). */
  const immer: ImmerSettings;
  export default immer;
}
