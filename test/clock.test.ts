import { describe, expect, it } from '@jest/globals';
import { guardedWorkClock, Meter, wallClock, workClock } from '../src/clock.js';

describe('clocks', () => {
  it('a work clock reads the units charged to it, and nothing else moves it', () => {
    const c = workClock();
    expect(c.kind).toBe('work');
    expect(c.now()).toBe(0);
    expect(c.now()).toBe(0);
    c.spend(64);
    c.spend(3);
    expect(c.now()).toBe(67);
  });

  it('the wall clock ignores charges', () => {
    const before = wallClock.now();
    wallClock.spend(1e12);
    expect(wallClock.now() - before).toBeLessThan(1e9);
    expect(wallClock.kind).toBe('wall');
  });

  it('a meter forwards charges and readings and counts what went through it', () => {
    const inner = workClock();
    inner.spend(10);
    const m = new Meter(inner);
    m.spend(5);
    expect(m.spent).toBe(5);
    expect(m.now()).toBe(15);
    expect(m.kind).toBe('work');
  });

  it('a guarded work clock reads work until its wall limit has passed, then beyond every deadline', () => {
    const open = guardedWorkClock(600_000);
    open.spend(7);
    expect(open.now()).toBe(7);
    expect(open.wallPassed()).toBe(false);
    const shut = guardedWorkClock(0);
    const until = performance.now() + 2;
    while (performance.now() <= until); // the limit (0 ms) has surely passed
    shut.spend(7);
    const reading = shut.now();
    expect(shut.wallPassed()).toBe(true);
    // Above any deadline, and a deadline derived from it ((now + d) / 2) is still below the next reading.
    expect(reading).toBeGreaterThan(1e12);
    expect(shut.now()).toBeGreaterThan((reading + 1e6) / 2);
    expect(Number.isFinite(reading)).toBe(true);
  });
});
