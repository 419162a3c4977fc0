/**
 * A wall-clock limit for test queries that no query comes near, on a quiet machine or a loaded one (jest's
 * own per-test limit fails a slow test first): a verdict a test asserts is never decided by the load. A test
 * of `unknown` uses Z3's resource limit (a query's `rlimit`) or a deadline already passed instead.
 */
export const GENEROUS_MS = 600_000;
