// The safetensors container (the Hugging Face format): an 8-byte little-endian header length N, N bytes of
// JSON naming every tensor's dtype, shape and byte range, then the tensor bytes back to back. Written here
// because no maintained npm reader fits (the Hugging Face JavaScript packages read headers from the hub
// only). The header is read first, capped and checked whole before a single tensor byte is read, so a
// hostile or truncated file costs at most the cap.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { sizeOf } from '../models/params.js';
import type { Tensor32 } from '../models/params.js';
import { DTYPE_BYTES, decodeTensor, encodeTensor, isInteropDtype, type InteropDtype } from './dtype.js';

/** Longest JSON header read (the safetensors reference implementation refuses more than 100 MB, too). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Largest tensor data block read: a Node buffer holds at most 2 GiB, and our models are far smaller. */
export const MAX_DATA_BYTES = 1 << 30;

/** One tensor as the header describes it. */
export interface TensorEntry {
  name: string;
  dtype: InteropDtype;
  shape: number[];
  /** Byte range [begin, end) inside the data block. */
  begin: number;
  end: number;
}

/** A checked header: the tensors in data order and the free-form string metadata. */
export interface SafetensorsHeader {
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data block in the file (8 + N). */
  dataStart: number;
}

/** A whole file in memory: its header and every tensor decoded to float32. */
export interface SafetensorsContent {
  header: SafetensorsHeader;
  tensors: Map<string, Tensor32>;
}

/** Reads and checks the header of a safetensors file; InputError naming the file and field at fault. */
export function readSafetensorsHeader(file: string): SafetensorsHeader {
  const fd = openFile(file);
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize < 8) throw new InputError(`${file}: truncated (${fileSize} bytes; a safetensors file starts with an 8-byte header length)`);
    const lengthBytes = readExactly(fd, 0, 8, file);
    const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
    if (length > BigInt(MAX_HEADER_BYTES)) throw new InputError(`${file}: header length ${length} bytes is over the cap of ${MAX_HEADER_BYTES}`);
    const n = Number(length);
    if (8 + n > fileSize) throw new InputError(`${file}: truncated (header of ${n} bytes, but the file has ${fileSize - 8} after its length)`);
    const bytes = readExactly(fd, 8, n, file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`${file}: header is not UTF-8`);
    }
    return parseHeader(text, file, 8 + n, fileSize - 8 - n);
  } finally {
    closeSync(fd);
  }
}

/** Reads a safetensors file: the checked header, then every tensor decoded to float32 (finite or not). */
export function readSafetensors(file: string): SafetensorsContent {
  const header = readSafetensorsHeader(file);
  const fd = openFile(file);
  try {
    const tensors = new Map<string, Tensor32>();
    for (const entry of header.tensors) {
      const bytes = readExactly(fd, header.dataStart + entry.begin, entry.end - entry.begin, file);
      tensors.set(entry.name, { shape: entry.shape, data: decodeTensor(bytes, entry.dtype) });
    }
    return { header, tensors };
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a safetensors file holding `tensors` in the given order, stored as `dtype`. */
export function encodeSafetensors(
  tensors: readonly [string, Tensor32][],
  dtype: InteropDtype,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const blocks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = encodeTensor(t.data, dtype);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    blocks.push(bytes);
    offset += bytes.length;
  }
  // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does, so the data block is aligned.
  let json = JSON.stringify(header);
  const headerBytes = () => new TextEncoder().encode(json).length;
  while (headerBytes() % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Checks a header's JSON: known dtypes, whole shapes, byte ranges that tile the data block exactly. */
function parseHeader(text: string, file: string, dataStart: number, dataBytes: number): SafetensorsHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${file}: header is not a JSON object`);
  if (dataBytes > MAX_DATA_BYTES) throw new InputError(`${file}: ${dataBytes} bytes of tensor data is over the cap of ${MAX_DATA_BYTES}`);
  const metadata: Record<string, string> = {};
  const tensors: TensorEntry[] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${file}: header.__metadata__: not an object`);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new InputError(`${file}: header.__metadata__.${k}: not a string (got ${JSON.stringify(v)})`);
        metadata[k] = v;
      }
      continue;
    }
    tensors.push(parseEntry(name, value, file));
  }
  // The data block must be covered exactly once, in order, with no gap (the format's own rule).
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of tensors) {
    if (t.begin !== expected) {
      const what = t.begin < expected ? 'overlaps the tensor before it' : 'leaves a gap before it';
      throw new InputError(`${file}: tensor ${t.name}: data_offsets [${t.begin}, ${t.end}] ${what}`);
    }
    expected = t.end;
  }
  if (expected !== dataBytes) {
    const what = expected > dataBytes ? 'truncated' : 'has trailing bytes';
    throw new InputError(`${file}: ${what} (the header describes ${expected} bytes of tensor data, the file holds ${dataBytes})`);
  }
  return { tensors, metadata, dataStart };
}

/** One header entry, checked: dtype, shape, offsets, and a byte length that matches shape × dtype size. */
function parseEntry(name: string, value: unknown, file: string): TensorEntry {
  const where = `${file}: tensor ${name}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !isInteropDtype(dtype)) {
    throw new InputError(`${where}: dtype ${JSON.stringify(dtype)} is not one eigenstate reads (F32, BF16, F16)`);
  }
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)) {
    throw new InputError(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((s) => Number.isSafeInteger(s) && (s as number) >= 0) || offsets[0] > offsets[1]) {
    throw new InputError(`${where}: data_offsets ${JSON.stringify(offsets)} is not a byte range [begin, end]`);
  }
  const dims = shape as number[];
  const [begin, end] = offsets as [number, number];
  const bytes = sizeOf(dims) * DTYPE_BYTES[dtype];
  if (end - begin !== bytes) {
    throw new InputError(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} [${dims.join(', ')}] needs ${bytes}`);
  }
  return { name, dtype, shape: dims, begin, end };
}

function openFile(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(error)})`);
  }
}

/** Exactly `length` bytes at `position`, or InputError (truncated) naming the file. */
function readExactly(fd: number, position: number, length: number, file: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new InputError(`${file}: truncated (wanted ${length} bytes at offset ${position}, got ${done})`);
    done += n;
  }
  return out;
}
