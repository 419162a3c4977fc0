// Reused float32 buffers for the fused kernels. A fresh typed array of an activation's size costs its page
// faults on first touch (a [128, 256, 128] one, 16 MiB: tens of ms on this machine, more than the loop that
// fills it), and a training step makes a dozen of them, of the same few sizes, every step. fused-op.ts takes
// them here and gives them back when no one can read them any more; a buffer not given back is garbage
// collected as any array. Each thread has its own pool (module state is per worker).

/** Buffers kept per length, and in all (bytes): enough for one step's kernels, bounded either way. */
const PER_LENGTH = 8;
const MAX_BYTES = 1 << 30;

const pool = new Map<number, Float32Array[]>();
let pooledBytes = 0;

/** A Float32Array of the length, from the pool when one is free: zero-filled, or (zeroed false, for a caller
 *  that overwrites every entry) holding whatever it held (a pass over the data saved). */
export function takeBuffer(length: number, zeroed = true): Float32Array {
  const free = pool.get(length);
  const reused = free?.pop();
  if (reused === undefined) return new Float32Array(length);
  pooledBytes -= reused.byteLength;
  if (zeroed) reused.fill(0);
  return reused;
}

/** Hands buffers back for reuse; the caller must hold no reference to them (nor anyone else). Duplicates count once. */
export function giveBack(buffers: Iterable<Float32Array>): void {
  for (const b of new Set(buffers)) {
    if (b.byteOffset !== 0 || b.length !== b.buffer.byteLength / 4) continue; // views of something larger stay out
    const free = pool.get(b.length) ?? [];
    if (free.length >= PER_LENGTH || pooledBytes + b.byteLength > MAX_BYTES || free.includes(b)) continue;
    free.push(b);
    pool.set(b.length, free);
    pooledBytes += b.byteLength;
  }
}

/** Each row's last step of h [B, T, n], as [B, n] in a pooled buffer: a kernel's output with lastOnly. */
export function lastSteps(h: Float32Array, B: number, T: number, n: number): Float32Array {
  const out = takeBuffer(B * n, false); // every row's h_T copied below
  for (let r = 0; r < B; r++) out.set(h.subarray((r * T + T - 1) * n, (r * T + T) * n), r * n);
  return out;
}
