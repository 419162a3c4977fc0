// A reader for SMT-LIB 2 S-expressions (the answers of native solvers: models, cores). Small and our own:
// the npm S-expression parsers (s-expression, sexpr-plus) follow Lisp reader rules (quote and quasi-quote
// characters, backslash escapes), while SMT-LIB has `|quoted symbols|`, strings whose only escape is a
// doubled quote, and `;` comments, and nothing else.
import { InternalError } from '../../errors.js';

/** An atom (a symbol with its bars removed, a numeral, #x/#b literal or keyword) or a list. */
export type SExpr = string | SExpr[];

/** Most nesting the reader accepts (solver answers are a few levels deep). */
const MAX_DEPTH = 10_000;

/** Every S-expression in `text`, in order; InternalError (naming `source`) on unbalanced input. */
export function readSExprs(text: string, source = 'solver output'): SExpr[] {
  const top: SExpr[] = [];
  const stack: SExpr[][] = [top];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ';') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '(') {
      if (stack.length > MAX_DEPTH) throw new InternalError(`${source}: nested deeper than ${MAX_DEPTH}`);
      const list: SExpr[] = [];
      stack[stack.length - 1].push(list);
      stack.push(list);
      i++;
    } else if (c === ')') {
      if (stack.length === 1) throw new InternalError(`${source}: unbalanced ')' at offset ${i}`);
      stack.pop();
      i++;
    } else if (c === '|') {
      const end = text.indexOf('|', i + 1);
      if (end < 0) throw new InternalError(`${source}: unterminated |symbol| at offset ${i}`);
      stack[stack.length - 1].push(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        const end = text.indexOf('"', j);
        if (end < 0) throw new InternalError(`${source}: unterminated string at offset ${i}`);
        s += text.slice(j, end);
        if (text[end + 1] === '"') {
          s += '"';
          j = end + 2;
        } else {
          j = end + 1;
          break;
        }
      }
      stack[stack.length - 1].push(s);
      i = j;
    } else if (/\s/.test(c)) i++;
    else {
      let j = i;
      while (j < n && !/[\s()|";]/.test(text[j])) j++;
      stack[stack.length - 1].push(text.slice(i, j));
      i = j;
    }
  }
  if (stack.length !== 1) throw new InternalError(`${source}: ${stack.length - 1} unclosed '('`);
  return top;
}
