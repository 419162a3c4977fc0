// TensorFlow.js's CPU backend prints a banner ("Hi, looks like you are running TensorFlow.js in Node.js")
// through console.warn the first time it stores a tensor; the tests choose that backend on purpose, so the
// banner is dropped here. Every other warning passes through unchanged.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]): void => {
  if (args.some((a) => typeof a === 'string' && a.includes('looks like you are running TensorFlow.js in Node.js'))) return;
  warn(...args);
};
