// Small concurrency primitives for the applier and issuers: a bounded parallel map that keeps
// input order, a mutex, and a mutex per key. In-process only (the apply lock guards processes).

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results come back in input
 * order. A rejection of `fn` rejects the whole map once the calls in flight have settled (no
 * new calls start after it); callers that want every item to run catch inside `fn`.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failed) throw failed.error;
  return out;
}

/** Runs critical sections one at a time, in the order they asked. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** One Mutex per key; a key's mutex is dropped once nothing holds or waits for it. */
export class KeyedMutex {
  private readonly locks = new Map<string, { mutex: Mutex; users: number }>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let entry = this.locks.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.locks.set(key, entry);
    }
    entry.users++;
    try {
      return await entry.mutex.run(fn);
    } finally {
      if (--entry.users === 0) this.locks.delete(key);
    }
  }
}

/**
 * Runs `fn` one call at a time, and coalesces: a call that arrives while `fn` is running waits
 * for it, then shares the next run with every other call that arrived meanwhile. Each caller
 * gets the outcome of a run that started after it asked, so state it changed before asking is
 * seen by that run (a configuration rewritten from shared state, then reloaded once).
 */
export class Coalescer {
  private running: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;

  constructor(private readonly fn: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.next) return this.next;
    const run = this.running.then(() => {
      this.next = undefined; // from here on, callers need a later run
      return this.fn();
    });
    this.next = run;
    this.running = run.catch(() => undefined);
    return run;
  }
}
