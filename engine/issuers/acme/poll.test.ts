import { describe, expect, it } from 'vitest';
import { pollUntilValid, type PollOptions } from './poll.ts';

function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const base = (time: ReturnType<typeof fakeTime>, deadline: number): PollOptions => ({
  deadline,
  minMs: 100,
  maxMs: 1000,
  now: time.now,
  sleep: time.sleep,
  what: 'order https://ca/order/1',
  problem: (i) => (i as { error?: string }).error ?? 'no detail',
});

describe('pollUntilValid', () => {
  it('waits with a growing interval until the object is valid', async () => {
    const time = fakeTime();
    const states = ['pending', 'processing', 'processing', 'processing', 'processing', 'valid'];
    const got = await pollUntilValid(
      async () => ({ status: states.shift() as string }),
      base(time, 60_000),
    );
    expect(got.status).toBe('valid');
    expect(time.slept).toEqual([100, 200, 400, 800, 1000]);
  });

  it('stops at the deadline with the status it was stuck in', async () => {
    const time = fakeTime();
    let asked = 0;
    await expect(
      pollUntilValid(async () => (asked++, { status: 'pending' }), base(time, 2_500)),
    ).rejects.toThrow('order https://ca/order/1 is still pending at the deadline');
    expect(time.now()).toBe(2_500);
    expect(asked).toBe(6); // at 0, 100, 300, 700, 1500, 2500
  });

  it('fails at once on invalid, with the CA’s problem', async () => {
    const time = fakeTime();
    await expect(
      pollUntilValid(
        async () => ({ status: 'invalid', error: 'unauthorized: 404 from the token URL' }),
        base(time, 60_000),
      ),
    ).rejects.toThrow('order https://ca/order/1 is invalid: unauthorized: 404 from the token URL');
    expect(time.slept).toEqual([]);
  });
});
