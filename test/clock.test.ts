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

  it('a guarded work clock reads work until its wall limit has passed; then each reading passes every deadline set before it', () => {
    const open = guardedWorkClock(600_000);
    open.spend(7);
    expect(open.now()).toBe(7);
    expect(open.wallPassed()).toBe(false);
    const shut = guardedWorkClock(0);
    const until = performance.now() + 2;
    while (performance.now() <= until); // the limit (0 ms) has surely passed
    // A run that reads its start after the limit: its deadlines (start + budget, halfway there) pass at once.
    const started = shut.now();
    expect(shut.wallPassed()).toBe(true);
    const deadline = started + 5_000_000;
    expect(shut.now()).toBeGreaterThan(deadline);
    const half = (shut.now() + deadline) / 2;
    shut.spend(100);
    expect(shut.now()).toBeGreaterThan(half);
  });
});
