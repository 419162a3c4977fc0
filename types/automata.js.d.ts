// automata.js ships no types; this declares the part of its API eigenstate uses (src/automata/regex.ts).
declare module 'automata.js' {
  /** The library's finite-state machine: transitions[from][to] = label, 'ε' for empty moves. */
  export interface FSM {
    initialState: string;
    acceptStates: string[];
    numOfStates: number;
    type: 'NFA' | 'DFA';
    transitions: Record<string, Record<string, string>>;
  }
  export class RegParser {
    constructor(regex: string);
    parseToNFA(): FSM;
    parseToDFA(): FSM;
  }
  const automata: { RegParser: typeof RegParser };
  export default automata;
}
