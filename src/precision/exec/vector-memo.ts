// A bounded memo keyed by the exact contents of a Float64Array: a hash of the bit patterns picks a bucket,
// and a hit compares every value (so two vectors share an entry only when they are equal bit for bit,
// −0 and 0 apart). When full, new keys are simply not stored: the memo is a cache, never a source of truth.

/** Values by Float64Array contents, at most `capacity` entries. */
export class VectorMemo<T> {
  private readonly buckets = new Map<number, { key: Float64Array; value: T }[]>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  private static hash(v: Float64Array): number {
    const bits = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    let h = 0x811c9dc5;
    for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193);
    return h >>> 0;
  }

  private static same(a: Float64Array, b: Float64Array): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }

  /** The value stored under a vector equal to `key`, or undefined. */
  get(key: Float64Array): T | undefined {
    const bucket = this.buckets.get(VectorMemo.hash(key));
    if (bucket === undefined) return undefined;
    for (const e of bucket) if (VectorMemo.same(e.key, key)) return e.value;
    return undefined;
  }

  /** Stores value under a copy of key, unless the memo is full. */
  set(key: Float64Array, value: T): void {
    if (this.size >= this.capacity) return;
    const h = VectorMemo.hash(key);
    const bucket = this.buckets.get(h);
    const entry = { key: Float64Array.from(key), value };
    if (bucket === undefined) this.buckets.set(h, [entry]);
    else bucket.push(entry);
    this.size++;
  }
}
