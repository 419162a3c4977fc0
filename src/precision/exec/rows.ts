// Interned fixed-width int32 rows: one arena and an open-addressing hash table over the rows themselves,
// so a million states cost two typed arrays instead of a million objects and string keys. A row is
// written straight into the free slot at the arena's end (`reserve`) and then interned in place
// (`commit`): a row seen before costs no copy and no allocation.


/**
 * A view maker that builds view(words) only when the row array changes (it is replaced when the table
 * grows), so hot loops pay one comparison per call instead of a view allocation.
 */
export function cachedView<V>(view: (words: Int32Array) => V): (words: Int32Array) => V {
  let last: Int32Array | null = null;
  let current: V | undefined;
  return (words) => {
    if (words !== last) {
      last = words;
      current = view(words);
    }
    return current as V;
  };
}

/** A set of int32 rows of one width, ids in insertion order, rows at `arena[id·width ..]`. */
export class RowTable {
  /** The rows, id after id; the row after the last is the free slot `reserve` hands out. */
  arena: Int32Array;
  count = 0;
  /** Pairs [id + 1 (0: empty), hash]: a probe reads one cache line and compares rows only on equal hashes. */
  private slots: Int32Array;
  private mask: number;
  private hashes = new Int32Array(0);
  /** Where commitRows's prefetching reads go, so that the compiler cannot drop them. */
  private sink = 0;

  /** The arena's length at its first growth (arenaRows rows): a search that outgrows `capacity` jumps there. */
  private readonly reserved: number;

  /**
   * `capacity` rows to start with; the arena's first growth goes straight to `arenaRows` rows. A large
   * arena costs nothing until its rows are written (fresh pages are mapped on first touch), and one that
   * never grows again is never copied: growing by 4 touched a third more pages than the rows themselves,
   * and page faults were a third of the time of an fp32 search of a million states. A small search never
   * allocates the reserve. The hash slots are not reserved ahead: they are touched at random, so every
   * reserved page would be mapped.
   */
  constructor(
    readonly width: number,
    capacity = 1024,
    arenaRows = capacity,
  ) {
    // A power of two, so that `hash & mask` and linear probing visit every slot.
    const rows = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.arena = new Int32Array(rows * width);
    this.reserved = Math.ceil(arenaRows) * width;
    this.slots = new Int32Array(2 * 4 * rows);
    this.mask = this.slots.length / 2 - 1;
  }

  /** The offset of the free row at the end of the arena (valid until the next commit; may reallocate arena). */
  reserve(): number {
    const off = this.count * this.width;
    if (off + this.width > this.arena.length) {
      // Growing by 4 copies a third of the final arena in all, not all of it (the copies were ~10%).
      const bigger = new Int32Array(Math.max(this.arena.length * 4, this.reserved));
      bigger.set(this.arena);
      this.arena = bigger;
    }
    return off;
  }

  /** The id of the row written at reserve(): an earlier equal row's id, or count − 1 after adding it. */
  commit(): number {
    const off = this.count * this.width;
    return this.internAt(off, this.hash(this.arena, off));
  }

  /**
   * commit() with the row's hash given (computed while the row was written): rows are compared only on
   * equal hashes. Every row of a table must then be interned through one hash function.
   */
  commitHashed(hash: number): number {
    return this.internAt(this.count * this.width, hash);
  }

  /** The offset of the first of m free rows at the end of the arena (valid until the next commit). */
  reserveRows(m: number): number {
    const off = this.count * this.width;
    let length = this.arena.length;
    if (off + m * this.width > length) length = Math.max(length, this.reserved);
    while (off + m * this.width > length) length *= 4;
    if (length !== this.arena.length) {
      const bigger = new Int32Array(length);
      bigger.set(this.arena);
      this.arena = bigger;
    }
    return off;
  }

  /**
   * Interns the m rows written at reserveRows(m), in order, as m commits would (same ids), writing their
   * ids to ids[0 .. m). Every row's hash slot, and the row a likely match points to, is read before any
   * is resolved, so that their cache misses can overlap instead of following one another (the gain was
   * within the noise of the machines measured on; the batch also spares a call per row).
   */
  commitRows(m: number, ids: Int32Array): void {
    const { width, arena } = this;
    const first = this.count * width;
    if (this.hashes.length < m) this.hashes = new Int32Array(m);
    const hashes = this.hashes;
    for (let r = 0, off = first; r < m; r++, off += width) hashes[r] = this.hash(arena, off);
    this.commitRowsHashed(m, ids, hashes);
  }

  /**
   * commitRows with the rows' hashes given (hashes[r] for row r, computed while the rows were written);
   * every row of a table must then be interned through one hash function.
   */
  commitRowsHashed(m: number, ids: Int32Array, hashes: Int32Array): void {
    const { width, arena, slots, mask } = this;
    const first = this.count * width;
    let touch = 0;
    for (let r = 0; r < m; r++) {
      const hash = hashes[r];
      const h = hash & mask;
      // A slot holding the same hash almost always holds the equal row: fetch that row too.
      if (slots[2 * h + 1] === hash) touch ^= arena[(slots[2 * h] - 1) * width];
    }
    this.sink ^= touch;
    for (let r = 0, off = first; r < m; r++, off += width) ids[r] = this.internAt(off, hashes[r]);
  }

  /** Interns the row at arena[off ..], which lies at or past the free slot, moving it down to the free slot when new. */
  private internAt(off: number, hash: number): number {
    const { width, arena, slots, mask } = this;
    let h = hash & mask;
    for (;;) {
      const id = slots[2 * h] - 1;
      if (id === -1) break;
      if (slots[2 * h + 1] === hash) {
        const base = id * width;
        let i = 0;
        while (i < width && arena[base + i] === arena[off + i]) i++;
        if (i === width) return id;
      }
      h = (h + 1) & mask;
    }
    const id = this.count++;
    const dst = id * width;
    // Forward copy: the destination never lies past the source.
    if (dst !== off) for (let i = 0; i < width; i++) arena[dst + i] = arena[off + i];
    slots[2 * h] = id + 1;
    slots[2 * h + 1] = hash;
    // Load factor at most 3/4: probes stay short (a probe walks 8-byte slots, eight to a cache line), and the slots stay half the size of a 1/2 limit.
    if (4 * this.count > 3 * mask) this.rehash();
    return id;
  }

  /** Interns src[off .. off + width) (copying it into the arena when new); returns its id. */
  intern(src: Int32Array, off: number): number {
    const at = this.reserve();
    const { arena, width } = this;
    for (let i = 0; i < width; i++) arena[at + i] = src[off + i];
    return this.commit();
  }

  /**
   * FNV-1a over whole words in four interleaved lanes (independent multiply chains, so a long row hashes
   * in a quarter of the latency), then Murmur3's finaliser so the low bits (the slot) depend on every bit.
   */
  private hash(row: Int32Array, off: number): number {
    const width = this.width;
    let h0 = 0x811c9dc5 | 0;
    let h1 = 0x050c5d1f;
    let h2 = 0x1b873593;
    let h3 = 0x7feb352d;
    let i = 0;
    for (; i + 4 <= width; i += 4) {
      h0 = Math.imul(h0 ^ row[off + i], 0x01000193);
      h1 = Math.imul(h1 ^ row[off + i + 1], 0x01000193);
      h2 = Math.imul(h2 ^ row[off + i + 2], 0x01000193);
      h3 = Math.imul(h3 ^ row[off + i + 3], 0x01000193);
    }
    for (; i < width; i++) h0 = Math.imul(h0 ^ row[off + i], 0x01000193);
    let h = Math.imul(h0 ^ Math.imul(h1, 0x85ebca6b) ^ Math.imul(h2, 0xc2b2ae35) ^ Math.imul(h3, 0x27d4eb2f), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / 2 - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s] === 0) continue;
      let h = old[s + 1] & mask;
      while (slots[2 * h] !== 0) h = (h + 1) & mask;
      slots[2 * h] = old[s];
      slots[2 * h + 1] = old[s + 1];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
