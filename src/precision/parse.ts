// Format names as users write them (`--formats fixed<2,6>,fp16`) and as files store them. The grammar is
//   fixed<I,F>  |  fixed<I,F,MODE>  (MODE: half-even, floor, half-up)  |  fp32 | fp16 | bf16 | fp8-e5m2 | fp8-e4m3
// case-insensitive, with spaces allowed around the whole and around numbers. `format.name` is canonical:
// lower case, no spaces, and the default mode half-even left out.
import { InputError } from '../errors.js';
import { FIXED_MAX_BITS, fixedFormat } from './fixed.js';
import { floatFormat, isFloatFormatName } from './float.js';
import { FLOAT_FORMAT_NAMES, ROUNDING_MODES } from './format.js';
import type { NumberFormat, RoundingMode } from './format.js';

/** One line describing every accepted format name, for `--formats` help and error messages. */
export const FORMAT_HELP =
  `fixed<I,F> or fixed<I,F,MODE> (I >= 1 integer bits with sign, F >= 0 fraction bits, I + F <= ${FIXED_MAX_BITS}; ` +
  `MODE: ${ROUNDING_MODES.join(', ')}), ${FLOAT_FORMAT_NAMES.join(', ')}`;

const FIXED = /^fixed\s*<\s*([^,<>]*?)\s*(?:,\s*([^,<>]*?)\s*(?:,\s*([^,<>]*?)\s*)?)?>$/;
const INTEGER = /^[+-]?\d+$/;

/** The format a name denotes; InputError naming the text and what was expected. */
export function parseFormat(text: string): NumberFormat {
  const trimmed = text.trim().toLowerCase();
  const shown = quote(text.trim());
  if (isFloatFormatName(trimmed)) return floatFormat(trimmed);
  const fixed = FIXED.exec(trimmed);
  if (fixed === null) {
    throw new InputError(
      `format ${shown}: expected fixed<I,F>, fixed<I,F,MODE> or one of ${FLOAT_FORMAT_NAMES.join(', ')}`,
    );
  }
  const [, i, f, mode] = fixed;
  if (f === undefined || !INTEGER.test(i) || !INTEGER.test(f) || Number(i) < 1 || Number(f) < 0) {
    throw new InputError(`format ${shown}: expected fixed<I,F> with integers I >= 1, F >= 0`);
  }
  let rounding: RoundingMode = 'half-even';
  if (mode !== undefined) {
    if (!(ROUNDING_MODES as readonly string[]).includes(mode)) {
      throw new InputError(
        `format ${shown}: unknown rounding mode ${quote(mode)} (expected ${ROUNDING_MODES.join(', ')})`,
      );
    }
    rounding = mode as RoundingMode;
  }
  const intBits = Number(i);
  const fracBits = Number(f);
  if (intBits + fracBits > FIXED_MAX_BITS) {
    throw new InputError(`format ${shown}: I + F = ${intBits + fracBits} bits, expected at most ${FIXED_MAX_BITS}`);
  }
  return fixedFormat(intBits, fracBits, rounding);
}

/** The text in quotes on one line: control characters escaped, long text cut. */
function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  // eslint-disable-next-line no-control-regex
  return `'${cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}
