// A training thread's entry when eigenstate runs from source under tsx or jest (tests, examples, benches):
// a worker thread does not inherit the loader of the main thread, so this installs tsx's, then loads the
// real entry. The build (dist/) starts dist/models/train/thread-worker.js directly and never reads this file.
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');
