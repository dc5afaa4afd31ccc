/**
 * Where the CPU goes and what the garbage collector does during a measured window: CPU time per
 * thread group (from /proc/self/task on Linux; undefined elsewhere) and V8's GC count and pauses
 * (perf_hooks "gc" entries). The service runs everything on one event loop plus sharp's and V8's
 * threads, so these two explain most of the gap between it and sharp alone.
 */
import { readdirSync, readFileSync } from "node:fs";
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";

/** Thread names (comm) as Linux shows them, grouped by what they do. */
function groupOf(tid: string, comm: string): string {
  if (tid === String(process.pid)) return "main (JS event loop)";
  if (comm.startsWith("libvips")) return "libvips (sharp)";
  if (comm.startsWith("libuv-worker")) return "libuv pool (fs, sharp jobs)";
  if (comm === "node") return "V8 workers (GC, compiler)";
  return "other";
}

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU ms so far per thread group, or undefined where /proc is not available. */
export function threadCpuMs(): Map<string, number> | undefined {
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended meanwhile
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // Fields after the command: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    const group = groupOf(tid, comm);
    out.set(group, (out.get(group) ?? 0) + ms);
  }
  return out;
}

export interface GcStats {
  /** Full (mark-compact) collections. */
  major: number;
  /** Young-generation collections (scavenges). */
  minor: number;
  /** Main-thread pause time of all collections, ms. */
  pauseMs: number;
}

export interface WindowStats {
  gc: GcStats;
  /** CPU ms by thread group (Linux only). */
  cpuMs?: Record<string, number>;
}

/** Opens a measuring window; `close()` returns what happened in it. */
export function openWindow(): { close(): WindowStats } {
  const gc: GcStats = { major: 0, minor: 0, pauseMs: 0 };
  const count = (entry: PerformanceEntry): void => {
    const detail: unknown = "detail" in entry ? entry.detail : undefined;
    const kind = typeof detail === "object" && detail !== null && "kind" in detail ? detail.kind : undefined;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
    gc.pauseMs += entry.duration;
  };
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(count));
  observer.observe({ entryTypes: ["gc"] });
  const before = threadCpuMs();
  return {
    close() {
      // Entries still queued in the observer are delivered on disconnect's takeRecords.
      observer.takeRecords().forEach(count);
      observer.disconnect();
      const after = threadCpuMs();
      const stats: WindowStats = { gc: { ...gc } };
      if (before && after) {
        const cpuMs: Record<string, number> = {};
        for (const [group, ms] of after) {
          const spent = ms - (before.get(group) ?? 0);
          if (spent > 0) cpuMs[group] = spent;
        }
        stats.cpuMs = cpuMs;
      }
      return stats;
    },
  };
}

export function addStats(a: WindowStats, b: WindowStats): WindowStats {
  const gc = { major: a.gc.major + b.gc.major, minor: a.gc.minor + b.gc.minor, pauseMs: a.gc.pauseMs + b.gc.pauseMs };
  if (!a.cpuMs || !b.cpuMs) return { gc };
  const cpuMs: Record<string, number> = { ...a.cpuMs };
  for (const [group, ms] of Object.entries(b.cpuMs)) cpuMs[group] = (cpuMs[group] ?? 0) + ms;
  return { gc, cpuMs };
}

export const emptyStats = (): WindowStats => ({ gc: { major: 0, minor: 0, pauseMs: 0 }, cpuMs: {} });

/** CPU ms per operation by thread group, rounded to 0.1 ms. */
export function cpuPerOp(stats: WindowStats, ops: number): Record<string, number> | undefined {
  if (!stats.cpuMs || ops <= 0) return undefined;
  const out: Record<string, number> = {};
  for (const [group, ms] of Object.entries(stats.cpuMs)) {
    const v = Math.round((ms / ops) * 10) / 10;
    if (v > 0) out[group] = v;
  }
  return out;
}
