// Interned fixed-width int32 rows: one arena and an open-addressing hash table over the rows themselves,
// so a million states cost two typed arrays instead of a million objects and string keys. A row is
// written straight into the free slot at the arena's end (`reserve`) and then interned in place
// (`commit`): a row seen before costs no copy and no allocation.

/** Murmur3's 32-bit mixing of one word into a running hash (low bits depend on every bit of the word). */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A set of int32 rows of one width, ids in insertion order, rows at `arena[id·width ..]`. */
export class RowTable {
  /** The rows, id after id; the row after the last is the free slot `reserve` hands out. */
  arena: Int32Array;
  count = 0;
  private slots: Int32Array;
  private mask: number;

  constructor(
    readonly width: number,
    capacity = 1024,
  ) {
    this.arena = new Int32Array(Math.max(2, capacity) * width);
    this.slots = new Int32Array(4 * Math.max(2, capacity)).fill(-1);
    this.mask = this.slots.length - 1;
  }

  /** The offset of the free row at the end of the arena (valid until the next commit; may reallocate arena). */
  reserve(): number {
    const off = this.count * this.width;
    if (off + this.width > this.arena.length) {
      const bigger = new Int32Array(this.arena.length * 2);
      bigger.set(this.arena);
      this.arena = bigger;
    }
    return off;
  }

  /** The id of the row written at reserve(): an earlier equal row's id, or count − 1 after adding it. */
  commit(): number {
    const { width, arena } = this;
    const off = this.count * width;
    let h = this.hash(arena, off) & this.mask;
    for (;;) {
      const id = this.slots[h];
      if (id === -1) break;
      const base = id * width;
      let i = 0;
      while (i < width && arena[base + i] === arena[off + i]) i++;
      if (i === width) return id;
      h = (h + 1) & this.mask;
    }
    const id = this.count++;
    this.slots[h] = id;
    // Load factor at most 1/2: probes stay short.
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  /** Interns src[off .. off + width) (copying it into the arena when new); returns its id. */
  intern(src: Int32Array, off: number): number {
    const at = this.reserve();
    for (let i = 0; i < this.width; i++) this.arena[at + i] = src[off + i];
    return this.commit();
  }

  private hash(row: Int32Array, off: number): number {
    let h = 0x9747b28c;
    for (let i = 0; i < this.width; i++) h = mix(h, row[off + i]);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h >>> 0;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let h = this.hash(this.arena, id * this.width) & this.mask;
      while (this.slots[h] !== -1) h = (h + 1) & this.mask;
      this.slots[h] = id;
    }
  }
}
