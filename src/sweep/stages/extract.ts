// The extract stage: `extract --method exact` as a library call (extract/exact.ts) at one format under a
// state cap. Within the cap the model's whole automaton is found and compared with the task's reference:
// a proof for every length at that format, or the shortest wrong word. Past the cap the answer is an
// honest "don't know" with what the on-the-fly check against the reference still found.
import { formatWord } from '../../automata/alphabet.js';
import { dfaToJson } from '../../automata/json.js';
import { TooManyStatesError } from '../../errors.js';
import { checkAgainstReference, compareWithReference, describeVerdict, exactAutomaton, type ReferenceVerdict } from '../../extract/exact.js';
import type { Checkpoint } from '../../models/checkpoint.js';
import { checkpointMachine } from '../../precision/machine.js';
import { parseFormat } from '../../precision/parse.js';
import type { Task } from '../../tasks/task.js';
import type { ExtractRecord, ExtractSettings } from '../types.js';

function counterexample(verdict: ReferenceVerdict, alphabet: readonly string[], classes: readonly string[]): ExtractRecord['counterexample'] {
  if (verdict.equal) return undefined;
  return { word: formatWord(alphabet, verdict.word), length: verdict.word.length, expected: classes[verdict.expected], got: classes[verdict.got] };
}

/** The exact automaton of the checkpoint at the format, and its verdict against the task's reference. */
export function extractStage(checkpoint: Checkpoint, task: Task, settings: ExtractSettings): ExtractRecord {
  const format = parseFormat(settings.format);
  if (checkpoint.config.family === 'transformer') {
    // A transformer's exact state is its whole prefix: the search never closes, so it is not attempted.
    return { format: format.name, status: 'skipped', text: 'skipped: a transformer has a new state for every prefix, so its exact search never closes' };
  }
  const machine = checkpointMachine(checkpoint, format);
  const context = { task: task.name, format: format.name, alphabet: machine.alphabet, classes: machine.classes };
  try {
    const { dfa, explored } = exactAutomaton(machine, { maxStates: settings.maxStates });
    const record: ExtractRecord = { format: format.name, status: 'extracted', states: dfa.nStates, explored, text: `${dfa.nStates} state${dfa.nStates === 1 ? '' : 's'} (${explored} explored)` };
    if (task.reference !== undefined) {
      const verdict = compareWithReference(dfa, task.reference);
      record.equal = verdict.equal;
      record.counterexample = counterexample(verdict, dfa.alphabet, dfa.classes);
      record.text = describeVerdict(verdict, context);
    }
    if (dfa.nStates <= settings.keepStates) record.automaton = dfaToJson(dfa);
    return record;
  } catch (error) {
    if (!(error instanceof TooManyStatesError)) throw error;
    const record: ExtractRecord = { format: format.name, status: 'cap', text: `more than ${settings.maxStates} states: no verdict (raise extract.maxStates)` };
    if (task.reference !== undefined) {
      const check = checkAgainstReference(machine, task.reference, { maxStates: settings.maxStates });
      if (check.verdict !== null) {
        record.equal = check.verdict.equal;
        record.counterexample = counterexample(check.verdict, task.reference.alphabet, task.reference.classes);
        record.text = describeVerdict(check.verdict, context);
      } else {
        record.text = `more than ${settings.maxStates} states: no wrong non-empty word up to length ${check.checkedLength}, no verdict (raise extract.maxStates)`;
      }
    }
    return record;
  }
}
