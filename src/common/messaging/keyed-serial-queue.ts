/**
 * @description Runs work concurrently across keys and one at a time within a key, each key's work in the order it
 * was given. A consumer that takes several messages at once uses it to keep the messages of one entity (the events
 * of one order) applied in their delivery order while other entities' messages run beside them.
 *
 * @example
 * const serial = new KeyedSerialQueue();
 * void serial.run('shop/42', () => apply(first)); // runs now
 * void serial.run('shop/42', () => apply(second)); // runs once the first has settled, resolved or rejected
 * void serial.run('shop/43', () => apply(other)); // runs now, beside the first
 */
export class KeyedSerialQueue {
  /** Per key, the settling of the last work given: what the next work of that key waits for. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier work of `key` has settled; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous === undefined ? work() : previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
      }
    });
    return result;
  }

  /** Keys with work running or waiting. */
  get activeKeys(): number {
    return this.tails.size;
  }
}
