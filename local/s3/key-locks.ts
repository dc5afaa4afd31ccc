/**
 * Per-object readers-writer locks. s3rver writes an object in place (truncate, then stream), so a GET
 * during a PUT of the same key would see a half-written file and two concurrent PUTs could
 * interleave. Real S3 replaces objects atomically; serialising writers against readers and each
 * other per key gives the same observable behaviour for everything that goes through the gate.
 */

type Release = () => void;

interface Waiter {
  write: boolean;
  grant: () => void;
}

interface LockState {
  readers: number;
  writer: boolean;
  queue: Waiter[];
}

export interface LockRequest {
  key: string;
  write: boolean;
}

export class KeyLocks {
  private readonly states = new Map<string, LockState>();

  /** Number of keys currently locked or waited for (tests use it to see that nothing leaks). */
  get size(): number {
    return this.states.size;
  }

  private acquireOne(key: string, write: boolean): Promise<Release> {
    let state = this.states.get(key);
    if (!state) {
      state = { readers: 0, writer: false, queue: [] };
      this.states.set(key, state);
    }
    const s = state;
    const release = once(() => {
      if (write) s.writer = false;
      else s.readers--;
      this.pump(key, s);
    });
    const free = write ? !s.writer && s.readers === 0 : !s.writer;
    if (free && s.queue.length === 0) {
      if (write) s.writer = true;
      else s.readers++;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => s.queue.push({ write, grant: () => resolve(release) }));
  }

  private pump(key: string, s: LockState): void {
    while (s.queue.length > 0) {
      const next = s.queue[0];
      if (!next) break;
      if (next.write ? s.writer || s.readers > 0 : s.writer) break;
      s.queue.shift();
      if (next.write) s.writer = true;
      else s.readers++;
      next.grant();
    }
    if (!s.writer && s.readers === 0 && s.queue.length === 0) this.states.delete(key);
  }

  /** Takes all `requests` (in a fixed order, so two multi-key holders cannot deadlock); returns one release. */
  async acquire(requests: LockRequest[]): Promise<Release> {
    const merged = new Map<string, boolean>();
    for (const r of requests) merged.set(r.key, (merged.get(r.key) ?? false) || r.write);
    const releases: Release[] = [];
    for (const key of [...merged.keys()].sort()) releases.push(await this.acquireOne(key, merged.get(key) ?? false));
    return once(() => {
      for (const r of releases.reverse()) r();
    });
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

export function lockKey(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}
