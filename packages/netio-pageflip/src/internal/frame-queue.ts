/** A FIFO of frame numbers in a fixed `Int32Array` ring buffer: no allocation after construction. */
export class FrameQueue {
  private readonly buffer: Int32Array;
  private readonly capacity: number;
  private head = 0;
  /** Frames queued. */
  length = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
    this.buffer = new Int32Array(this.capacity);
  }

  /** Appends a frame; the caller guarantees there is room. */
  push(frame: number): void {
    let tail = this.head + this.length;
    if (tail >= this.capacity) tail -= this.capacity;
    this.buffer[tail] = frame;
    this.length++;
  }

  /** Removes and returns the oldest frame; the caller guarantees the queue is not empty. */
  shift(): number {
    const frame = this.buffer[this.head]!;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.length--;
    return frame;
  }

  /** The i-th oldest frame. */
  at(i: number): number {
    let k = this.head + i;
    if (k >= this.capacity) k -= this.capacity;
    return this.buffer[k]!;
  }

  /** Room left. */
  get room(): number {
    return this.capacity - this.length;
  }
}
