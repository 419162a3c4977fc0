// The model families, named once. verify's model classes, the precision executors and the trainer all
// take their names from this list, so a family means the same thing everywhere (issue 3).
import { InputError } from '../errors.js';

/** Every trainable model family, in the order help text lists them. */
export const MODEL_FAMILIES = [
  'rnn-tanh',
  'lstm',
  'lrnn-pos',
  'lrnn-neg',
  'lrnn-complex',
  'lrnn-pd',
  'deltanet-pos',
  'deltanet-neg',
  'transformer',
] as const;

/** A model family name. */
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

/** True when a string names a model family. */
export function isModelFamily(name: string): name is ModelFamily {
  return (MODEL_FAMILIES as readonly string[]).includes(name);
}

/** The family a name denotes; InputError naming the choices otherwise. */
export function parseModelFamily(name: string): ModelFamily {
  if (isModelFamily(name)) return name;
  throw new InputError(`unknown model family '${name}' (choose one of ${MODEL_FAMILIES.join(', ')})`);
}
