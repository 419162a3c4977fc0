// Systems under learning as membership oracles: any Machine (a Dfa, a checkpoint at a format) and tasks.
// A regular task is its reference automaton; a bounded task answers through its exact label, and a word
// outside its input shape (EQ_n needs x#y) is not in a binary task's language, so it is rejected; a
// multi-class bounded task gets one extra class for such words instead.
import { InputError } from '../errors.js';
import { classifyWord, isBinaryClasses, type Machine, type Word } from '../machine.js';
import type { Task } from '../tasks/task.js';
import type { MembershipOracle } from './oracle.js';

/** The class a word outside a multi-class bounded task's input shape gets. */
export const ILL_FORMED_CLASS = 'ill-formed';

/** A membership oracle that runs the machine on each word from its initial state; a trace is one run. */
export function machineOracle<S>(machine: Machine<S>): MembershipOracle {
  return {
    alphabet: machine.alphabet,
    classes: machine.classes,
    query: (word: Word) => classifyWord(machine, word),
    trace(word: Word): Int32Array {
      const out = new Int32Array(word.length + 1);
      let state = machine.initial();
      out[0] = machine.classify(state);
      for (let i = 0; i < word.length; i++) {
        state = machine.step(state, word[i]);
        out[i + 1] = machine.classify(state);
      }
      return out;
    },
  };
}

/** A task as a system under learning: its reference DFA, or its exact labels when it is bounded. */
export function taskOracle(task: Task): MembershipOracle {
  if (task.reference) return machineOracle(task.reference);
  const binary = isBinaryClasses(task.classes);
  const classes = binary ? task.classes : [...task.classes, ILL_FORMED_CLASS];
  const outside = binary ? 0 : task.classes.length;
  return {
    alphabet: task.alphabet,
    classes,
    query(word: Word): number {
      try {
        return task.label(word);
      } catch (error) {
        if (error instanceof InputError) return outside;
        throw error;
      }
    },
  };
}
