// Interned fixed-width int32 rows: one arena and an open-addressing hash table over the rows themselves,
// so a million states cost two typed arrays instead of a million objects and string keys. A row is
// written straight into the free slot at the arena's end (`reserve`) and then interned in place
// (`commit`): a row seen before costs no copy and no allocation.


/** A set of int32 rows of one width, ids in insertion order, rows at `arena[id·width ..]`. */
export class RowTable {
  /** The rows, id after id; the row after the last is the free slot `reserve` hands out. */
  arena: Int32Array;
  count = 0;
  /** Pairs [id + 1 (0: empty), hash]: a probe reads one cache line and compares rows only on equal hashes. */
  private slots: Int32Array;
  private mask: number;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.arena = new Int32Array(Math.max(2, capacity) * width);
    this.slots = new Int32Array(2 * 4 * Math.max(2, capacity));
    this.mask = this.slots.length / 2 - 1;
  }

  /** The offset of the free row at the end of the arena (valid until the next commit; may reallocate arena). */
  reserve(): number {
    const off = this.count * this.width;
    if (off + this.width > this.arena.length) {
      // Growing by 4 copies a third of the final arena in all, not all of it (the copies were ~10%).
      const bigger = new Int32Array(this.arena.length * 4);
      bigger.set(this.arena);
      this.arena = bigger;
    }
    return off;
  }

  /** The id of the row written at reserve(): an earlier equal row's id, or count − 1 after adding it. */
  commit(): number {
    const { width, arena, slots, mask } = this;
    const off = this.count * width;
    const hash = this.hash(arena, off);
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
    slots[2 * h] = id + 1;
    slots[2 * h + 1] = hash;
    // Load factor at most 1/2: probes stay short.
    if (2 * this.count > mask) this.rehash();
    return id;
  }

  /** Interns src[off .. off + width) (copying it into the arena when new); returns its id. */
  intern(src: Int32Array, off: number): number {
    const at = this.reserve();
    const { arena, width } = this;
    for (let i = 0; i < width; i++) arena[at + i] = src[off + i];
    return this.commit();
  }

  /** FNV-1a over whole words, then Murmur3's finaliser so the low bits (the slot) depend on every bit. */
  private hash(row: Int32Array, off: number): number {
    const width = this.width;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < width; i++) h = Math.imul(h ^ row[off + i], 0x01000193);
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
