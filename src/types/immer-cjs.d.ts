/** The CommonJS entry of immer 9, the instance `@stoplight/json-ref-resolver` requires. */
declare module 'immer/dist/index.js' {
  export function setAutoFreeze(value: boolean): void;
  const immer: { setAutoFreeze(value: boolean): void };
  export default immer;
}
