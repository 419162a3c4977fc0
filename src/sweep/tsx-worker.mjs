// The pool thread's entry when eigenstate runs from source under tsx (examples, benches): a worker thread
// does not inherit the loader tsx installed in the main thread, so this installs it, then loads the real
// entry. The build (dist/) uses dist/sweep/pool-worker.js directly and never reads this file.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./pool-worker.ts');
export default worker.default;
