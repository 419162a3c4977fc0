import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeSafetensors, MAX_HEADER_BYTES, readSafetensors, readSafetensorsHeader } from '../../src/interop/safetensors.js';
import { inputErrorMessage } from '../input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'eigenstate-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes bytes to a fresh file and returns its path. */
function file(bytes: Uint8Array): string {
  const path = join(dir, `t${n++}.safetensors`);
  writeFileSync(path, bytes);
  return path;
}

/** A file made of a given header text (no alignment padding) and data bytes. */
function raw(header: string, data: Uint8Array = new Uint8Array(0), declared?: bigint): string {
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return file(out);
}

const problem = (path: string): string => inputErrorMessage(() => readSafetensors(path));

describe('safetensors container', () => {
  test('write then read gives every tensor back with its shape and bits; the header is 8-byte aligned', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 5 }),
        (specs) => {
          const tensors = specs.map(([shape, seed], i) => {
            const size = shape.reduce((a, b) => a * b, 1);
            const data = Float32Array.from({ length: size }, (_, j) => Math.fround(Math.sin(seed + j) * 10));
            return [`t${i}.w`, { shape, data }] as [string, { shape: number[]; data: Float32Array }];
          });
          const bytes = encodeSafetensors(tensors, 'F32', { note: 'x' });
          const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
          expect(headerLength % 8).toBe(0);
          const back = readSafetensors(file(bytes));
          expect(back.header.metadata).toEqual({ note: 'x' });
          for (const [name, t] of tensors) {
            expect(back.tensors.get(name)?.shape).toEqual(t.shape);
            expect(back.tensors.get(name)?.data).toEqual(t.data);
          }
        },
      ),
      { numRuns: 30, seed: 5 },
    );
  });

  test('bf16 and f16 tensors are read exactly', () => {
    const data = Float32Array.of(1, -0.5, 3.140625, 0);
    for (const dtype of ['BF16', 'F16'] as const) {
      const back = readSafetensors(file(encodeSafetensors([['a', { shape: [4], data }]], dtype)));
      expect(back.tensors.get('a')?.data).toEqual(data);
      expect(back.header.tensors[0].dtype).toBe(dtype);
    }
  });

  test('a header length over the cap is refused before anything else is read', () => {
    const path = raw('{}', new Uint8Array(0), BigInt(MAX_HEADER_BYTES + 1));
    expect(() => readSafetensorsHeader(path)).toThrow(/header length 100000001 bytes is over the cap of 100000000/);
  });

  test.each([
    ['a file shorter than its length field', () => file(new Uint8Array(5)), /truncated \(5 bytes/],
    ['a header cut short', () => raw('{"a":', new Uint8Array(0), 100n), /truncated \(header of 100 bytes/],
    ['a header that is not JSON', () => raw('{"a": nope}'), /header is not valid JSON/],
    ['a header that is a list', () => raw('[1]'), /header is not a JSON object/],
    ['an unknown dtype', () => raw('{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', new Uint8Array(8)), /tensor a: dtype "I64" is not one eigenstate reads/],
    ['a bad shape', () => raw('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', new Uint8Array(4)), /tensor a: shape \[-1\]/],
    ['offsets that disagree with the shape', () => raw('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)), /tensor a: data_offsets \[0, 4\] hold 4 bytes, but F32 \[2\] needs 8/],
    ['overlapping tensors', () => raw('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)), /tensor b: data_offsets \[4, 8\] overlaps/],
    ['a gap', () => raw('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)), /tensor a: data_offsets \[4, 8\] leaves a gap/],
    ['truncated tensor data', () => raw('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', new Uint8Array(8)), /truncated \(the header describes 16 bytes of tensor data, the file holds 8\)/],
    ['trailing bytes', () => raw('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(8)), /has trailing bytes/],
    ['non-string metadata', () => raw('{"__metadata__":{"k":1}}'), /header.__metadata__.k: not a string/],
  ])('%s is one InputError naming the file', (_what, make, message) => {
    const path = make();
    const text = problem(path);
    expect(text).toMatch(message);
    expect(text.startsWith(path)).toBe(true);
    expect(text).not.toContain('\n');
  });

  test('a header of invalid UTF-8 bytes is refused', () => {
    const out = new Uint8Array(8 + 4);
    new DataView(out.buffer).setBigUint64(0, 4n, true);
    out.set([0x7b, 0xff, 0xfe, 0x7d], 8);
    expect(problem(file(out))).toMatch(/header is not UTF-8/);
  });
});
