// One line per connection problem with Redis, never a stack dump and never a flood: BullMQ's clients
// reconnect every second or two and report each failed try, and a sweep has several clients. An outage
// prints its first error, each other kind of error once, a reminder every `repeatMs` while it lasts, and
// one line when the connection is back; an error that is not about the connection prints once per
// `repeatMs` however often it recurs.

/** The network errors of a Redis client whose connection is down (ioredis gives them as `code`). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** Whether an error says the connection is down (rather than that a command failed). */
export function isConnectionError(error: unknown): boolean {
  // Duck-typed: errors from another realm (a vm context, a worker) are no instance of this realm's Error.
  if (typeof error !== 'object' || error === null || typeof (error as Error).message !== 'string') return false;
  const code = (error as NodeJS.ErrnoException).code;
  // Some layers pass the error on as a new one whose message holds the old one's text, code and all.
  const named = [...(error as Error).message.matchAll(/\bE[A-Z_]+\b/g)].some(([word]) => CONNECTION_CODES.has(word));
  return (code !== undefined && CONNECTION_CODES.has(code)) || named || /^Connection is closed\.?$/.test(oneLine(error));
}

/** The first line of an error's message, without a leading 'Error: ' (a rewrapped error's). */
export function oneLine(error: unknown): string {
  const text = typeof error === 'object' && error !== null && typeof (error as Error).message === 'string' ? (error as Error).message : String(error);
  return text
    .split('\n')[0]
    .trim()
    .replace(/^(Error: )+/, '');
}

/** Folds repeated Redis errors into a few lines; `print` gets each line, `now` the time in ms. */
export class ProblemLog {
  private outage: { since: number; errors: number; lastLine: number | null; seen: Set<string> } | null = null;
  private readonly others = new Map<string, number>();

  constructor(
    private readonly print: (line: string) => void,
    /** What the lines are about, e.g. 'Redis at redis://host:6379'. */
    private readonly what: string,
    private readonly repeatMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A client's connection closed: an outage begins (silently: the errors of the retries say what is wrong). */
  closed(): void {
    this.outage ??= { since: this.now(), errors: 0, lastLine: null, seen: new Set() };
  }

  /** Reports an error of a Redis client: a connection error opens or extends the outage. */
  error(error: unknown): void {
    const message = oneLine(error);
    const t = this.now();
    if (!isConnectionError(error)) {
      const last = this.others.get(message);
      if (last !== undefined && t - last < this.repeatMs) return;
      if (this.others.size >= 1000) this.others.clear(); // a cap on what is remembered, not on what is printed
      this.others.set(message, t);
      this.print(`${this.what}: ${message}`);
      return;
    }
    this.closed();
    const o = this.outage!;
    o.errors++;
    if (o.lastLine === null) {
      o.seen.add(message);
      o.lastLine = t;
      this.print(`${this.what}: ${message} (connection lost; retrying)`);
    } else if (!o.seen.has(message) || t - o.lastLine >= this.repeatMs) {
      o.seen.add(message);
      o.lastLine = t;
      this.print(`${this.what}: ${message} (still retrying: ${o.errors} failed ${plural(o.errors, 'try', 'tries')} in ${seconds(t - o.since)} s)`);
    }
  }

  /** A client is connected: ends the outage (one line if it printed any); true when there was one. */
  ready(): boolean {
    if (this.outage === null) return false;
    const o = this.outage;
    this.outage = null;
    if (o.lastLine !== null) this.print(`${this.what}: connected again after ${seconds(this.now() - o.since)} s (${o.errors} failed ${plural(o.errors, 'try', 'tries')})`);
    return true;
  }

  /** Milliseconds since the outage began (0 while connected). */
  downFor(): number {
    return this.outage === null ? 0 : this.now() - this.outage.since;
  }

  /** Whether the connection is down. */
  get down(): boolean {
    return this.outage !== null;
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
