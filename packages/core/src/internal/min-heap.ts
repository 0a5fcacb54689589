/**
 * A binary min-heap of (key, item) pairs on typed arrays, for the progressive-filling solver.
 * Lazy deletion: callers push a new entry when a key changes and skip stale ones when popped.
 */
export class MinHeap {
  private keys = new Float64Array(256);
  private items = new Int32Array(256);
  size = 0;
  /** Key of the last popped entry. */
  poppedKey = 0;

  clear(): void {
    this.size = 0;
  }

  push(key: number, item: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const it = new Int32Array(this.size * 2);
      it.set(this.items);
      this.items = it;
    }
    const keys = this.keys;
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p]!;
      if (pk <= key) break;
      keys[i] = pk;
      items[i] = items[p]!;
      i = p;
    }
    keys[i] = key;
    items[i] = item;
  }

  /** Removes the smallest entry; its key is left in {@link poppedKey}. */
  pop(): number {
    const keys = this.keys;
    const items = this.items;
    const top = items[0]!;
    this.poppedKey = keys[0]!;
    const n = --this.size;
    if (n > 0) {
      const key = keys[n]!;
      const item = items[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let ck = keys[c]!;
        const r = c + 1;
        if (r < n && keys[r]! < ck) {
          c = r;
          ck = keys[r]!;
        }
        if (key <= ck) break;
        keys[i] = ck;
        items[i] = items[c]!;
        i = c;
      }
      keys[i] = key;
      items[i] = item;
    }
    return top;
  }
}
