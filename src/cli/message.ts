// Error messages are one line: a value echoed from the input (a regex, a name, a path) is cut to about 80
// characters, keeping its head and tail, so that a 10 KB argument cannot flood the terminal.

/** The longest run of non-space characters shown whole. */
export const MAX_ECHO = 80;

/** The longest message printed whole. */
export const MAX_MESSAGE = 1000;

/** Cuts a long run to its head and tail around '...'; short runs are returned as they are. */
export function clipEcho(text: string, max: number = MAX_ECHO): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 3) / 2);
  const tail = max - 3 - head;
  return `${chars.slice(0, head).join('')}...${chars.slice(chars.length - tail).join('')}`;
}

/** A message as one printable line: newlines to spaces, every long non-space run clipped, the whole capped. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' ').replace(/\S{81,}/g, (run) => clipEcho(run));
  return clipEcho(flat, MAX_MESSAGE);
}
