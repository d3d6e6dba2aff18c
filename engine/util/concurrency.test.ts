import { describe, expect, it } from 'vitest';
import { Coalescer, KeyedMutex, Mutex, mapLimit } from './concurrency.ts';

const tick = (ms = 1): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('mapLimit', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick(x);
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    await expect(
      mapLimit([0, 1, 2, 3, 4], 2, async (x) => {
        started.push(x);
        await tick();
        if (x === 1) throw new Error('boom 1');
        return x;
      }),
    ).rejects.toThrow('boom 1');
    expect(started).toEqual([0, 1, 2]);
  });

  it('handles an empty list and a limit below 1', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (x) => x)).toEqual([1, 2]);
  });
});

describe('Mutex', () => {
  it('runs sections one at a time in arrival order, and survives a failing one', async () => {
    const m = new Mutex();
    const log: string[] = [];
    const section = (name: string, fail = false) =>
      m.run(async () => {
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('KeyedMutex', () => {
  it('serializes per key and lets different keys run together', async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const section = (key: string, name: string) =>
      m.run(key, async () => {
        log.push(`${name}+`);
        await tick(2);
        log.push(`${name}-`);
      });
    await Promise.all([section('x', 'x1'), section('y', 'y1'), section('x', 'x2')]);
    // x2 starts only after x1 ends; y1 runs alongside x1.
    expect(log.indexOf('x2+')).toBeGreaterThan(log.indexOf('x1-'));
    expect(log.indexOf('y1+')).toBeLessThan(log.indexOf('x1-'));
  });
});

describe('Coalescer', () => {
  it('runs one at a time; callers arriving during a run share the next one', async () => {
    const seen: number[] = [];
    let state = 0;
    let inFlight = 0;
    const c = new Coalescer(async () => {
      inFlight++;
      expect(inFlight).toBe(1);
      const snapshot = state;
      await tick(5);
      seen.push(snapshot);
      inFlight--;
    });
    state = 1;
    const first = c.run();
    await tick(); // the first run has started
    state = 2;
    const second = c.run();
    state = 3;
    const third = c.run();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(seen).toEqual([1, 3]);
  });

  it('gives a failed run to its callers only; the next run goes ahead', async () => {
    let fail = true;
    const c = new Coalescer(async () => {
      await tick();
      if (fail) throw new Error('broken');
    });
    const a = c.run();
    const b = c.run();
    expect(b).toBe(a);
    await expect(a).rejects.toThrow('broken');
    fail = false;
    await expect(c.run()).resolves.toBeUndefined();
  });
});
