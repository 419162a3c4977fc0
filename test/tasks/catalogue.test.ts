import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { parseTask, taskFamilies } from '../../src/tasks/catalogue.js';

describe('task catalogue', () => {
  it('lists every family once, with a summary and sane parameters', () => {
    const names = taskFamilies().map((f) => f.family);
    expect(names).toEqual([
      'parity',
      'mod',
      'tomita1',
      'tomita2',
      'tomita3',
      'tomita4',
      'tomita5',
      'tomita6',
      'tomita7',
      'dyck',
      'flipflop',
      'modarith',
      'modarith-paper',
      's3',
      's5',
      'a5',
      's5-swaps',
      's5-swaps3',
      's3-identity',
      's5-identity',
      'a5-identity',
      's3-gen-identity',
      'index',
      'equality',
      'disjointness',
      'anbn',
      'majority',
      'modarith-brackets',
    ]);
    for (const f of taskFamilies()) {
      expect(f.summary.length).toBeGreaterThan(0);
      for (const p of f.params) expect(p.min <= p.default && p.default <= p.max).toBe(true);
    }
  });

  it('fills defaults and prints every parameter in the canonical name', () => {
    expect(parseTask('mod').name).toBe('mod:m=3');
    expect(parseTask('dyck').name).toBe('dyck:k=2,d=2');
    expect(parseTask('dyck:d=3').name).toBe('dyck:k=2,d=3');
    expect(parseTask('dyck:d=3,k=1').name).toBe('dyck:k=1,d=3');
    expect(parseTask('index').name).toBe('index:n=8,a=2');
    expect(parseTask(' equality:n=5 ').name).toBe('equality:n=5');
    expect(parseTask('parity').name).toBe('parity');
  });

  it('round-trips every family through its canonical name, to the same cached task', () => {
    for (const f of taskFamilies()) {
      const task = f.create({});
      expect(task.family).toBe(f.family);
      expect(task.description.length).toBeGreaterThan(0);
      expect(parseTask(task.name)).toBe(task);
      if (task.kind === 'regular') expect(task.reference).toBeDefined();
      else expect(task.reference).toBeUndefined();
    }
    expect(parseTask('mod:m=5')).toBe(parseTask('mod:m=5'));
  });

  it('names the unknown family and suggests close ones', () => {
    expect(() => parseTask('tomita8')).toThrow(/^unknown task 'tomita8' \(did you mean tomita1, tomita2/);
    expect(() => parseTask('parit')).toThrow(/did you mean parity\?\); available: parity, mod, tomita1/);
    expect(() => parseTask('zzz')).toThrow(/^unknown task 'zzz'; available: parity, mod/);
    expect(() => parseTask('')).toThrow(InputError);
  });

  it('names the task, parameter, value and range of a bad parameter', () => {
    expect(() => parseTask('mod:m=1')).toThrow(new InputError("task 'mod': parameter m = 1 is out of range [2, 64]"));
    expect(() => parseTask('dyck:k=5')).toThrow(new InputError("task 'dyck': parameter k = 5 is out of range [1, 4]"));
    expect(() => parseTask('mod:m=2.5')).toThrow(new InputError("task 'mod': parameter m = '2.5' is not an integer"));
    expect(() => parseTask('mod:m=')).toThrow(new InputError("task 'mod': parameter m = '' is not an integer"));
    expect(() => parseTask('mod:q=3')).toThrow(new InputError("task 'mod': unknown parameter 'q' (parameters: m)"));
    expect(() => parseTask('parity:m=3')).toThrow(
      new InputError("task 'parity': unknown parameter 'm' (it takes no parameters)"),
    );
    expect(() => parseTask('mod:m=3,m=4')).toThrow(new InputError("task 'mod': parameter m is given twice"));
    expect(() => parseTask('mod:m')).toThrow(new InputError("task 'mod': expected key=value, got 'm' in 'mod:m'"));
    expect(() => parseTask('dyck:k=2,')).toThrow(/expected key=value, got ''/);
  });

  it('checks parameters given to create() directly too', () => {
    const mod = taskFamilies().find((f) => f.family === 'mod');
    expect(() => mod?.create({ m: 65 })).toThrow(new InputError("task 'mod': parameter m = 65 is out of range [2, 64]"));
    expect(() => mod?.create({ m: 2.5 })).toThrow(new InputError("task 'mod': parameter m = 2.5 is not an integer"));
    expect(mod?.create({ m: 4 })).toBe(parseTask('mod:m=4'));
  });
});
