/**
 * Spectral's packages are CommonJS whose named exports Node cannot always detect, so they are imported
 * whole here and re-exported for the rest of the engine.
 */
import spectralCore from '@stoplight/spectral-core';
import spectralFormats from '@stoplight/spectral-formats';
import spectralParsers from '@stoplight/spectral-parsers';
import spectralRefResolver from '@stoplight/spectral-ref-resolver';
import * as immerModule from 'immer/dist/index.js';

// The $ref resolver builds the resolved document with immer, which deep-freezes every copy. Nothing here
// mutates it, and not freezing saves about a second on a 13 MB spec.
(immerModule.setAutoFreeze ?? immerModule.default.setAutoFreeze)(false);

export const { Spectral, Document, Ruleset } = spectralCore;
export const { oas2, oas3_0, oas3_1 } = spectralFormats;
export const { Yaml, Json } = spectralParsers;

/** Parses YAML or JSON (by extension) keeping positions, so findings can name lines. */
export function parseDocument(text: string, file: string): SpecDocument {
  const parser = file.toLowerCase().endsWith('.json') ? Json : Yaml;
  return new Document(text, parser as typeof Yaml, file) as unknown as SpecDocument;
}
export const { Resolver } = spectralRefResolver;

export type SpecDocument = InstanceType<typeof Document>;
export type {
  Format,
  IFunctionResult,
  ISpectralDiagnostic,
  RulesetDefinition,
  RulesetFunction,
  RulesetFunctionContext,
} from '@stoplight/spectral-core';
