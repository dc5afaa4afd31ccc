/**
 * Holds one execution environment to its function's CPU share and memory with a cgroup of its own:
 * cgroup v1 (`cpu.cfs_quota_us`, `memory.limit_in_bytes`) or v2 (`cpu.max`, `memory.max`), whichever
 * this machine lets us write. The environment's process joins its cgroup before it execs node
 * (`wrap()`), so runtime start-up and module loading run throttled, as Lambda's Init does. Where no
 * cgroup can be made, `limits()` says so and environments run unthrottled.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CFS_PERIOD_US, cfsQuotaUs } from "./cpu-share";

export interface CgroupLimits {
  /** "v1", "v2", or why none could be used. */
  kind: "v1" | "v2" | "none";
  reason?: string;
  /** A cgroup for one environment; `dirs` are the directories its process must join. */
  create(name: string, memoryMb: number): EnvironmentCgroup;
  /** Removes the runtime's own parent directories (their children must be gone). */
  close(): void;
}

export interface EnvironmentCgroup {
  /** Directories whose cgroup.procs the process writes its pid to before exec. */
  procsFiles: string[];
  remove(): void;
}

const V1_ROOT = "/sys/fs/cgroup";

function write(file: string, value: string): void {
  writeFileSync(file, value);
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Still busy (a process exiting) or already gone; the kernel frees it when empty.
  }
}

function v1(group: string): CgroupLimits {
  const cpuRoot = path.join(V1_ROOT, "cpu", group);
  const memRoot = path.join(V1_ROOT, "memory", group);
  mkdirSync(cpuRoot, { recursive: true });
  const withMemory = existsSync(path.join(V1_ROOT, "memory", "cgroup.procs"));
  if (withMemory) mkdirSync(memRoot, { recursive: true });
  return {
    kind: "v1",
    create(name, memoryMb) {
      const cpu = path.join(cpuRoot, name);
      mkdirSync(cpu);
      write(path.join(cpu, "cpu.cfs_period_us"), String(CFS_PERIOD_US));
      write(path.join(cpu, "cpu.cfs_quota_us"), String(cfsQuotaUs(memoryMb)));
      const dirs = [cpu];
      if (withMemory) {
        const mem = path.join(memRoot, name);
        mkdirSync(mem);
        write(path.join(mem, "memory.limit_in_bytes"), String(memoryMb * 1024 * 1024));
        dirs.push(mem);
      }
      return { procsFiles: dirs.map((d) => path.join(d, "cgroup.procs")), remove: () => dirs.forEach(tryRmdir) };
    },
    close() {
      tryRmdir(cpuRoot);
      if (withMemory) tryRmdir(memRoot);
    },
  };
}

function v2(group: string): CgroupLimits {
  // Our own cgroup (0::/path); children need cpu and memory delegated to them.
  const own = readFileSync("/proc/self/cgroup", "utf8")
    .split("\n")
    .find((l) => l.startsWith("0::"));
  if (own === undefined) throw new Error("no cgroup v2 membership");
  const base = path.join(V1_ROOT, own.slice(3));
  const root = path.join(base, group);
  mkdirSync(root, { recursive: true });
  write(path.join(root, "cgroup.subtree_control"), "+cpu +memory");
  return {
    kind: "v2",
    create(name, memoryMb) {
      const dir = path.join(root, name);
      mkdirSync(dir);
      write(path.join(dir, "cpu.max"), `${cfsQuotaUs(memoryMb)} ${CFS_PERIOD_US}`);
      write(path.join(dir, "memory.max"), String(memoryMb * 1024 * 1024));
      return { procsFiles: [path.join(dir, "cgroup.procs")], remove: () => tryRmdir(dir) };
    },
    close: () => tryRmdir(root),
  };
}

function none(reason: string): CgroupLimits {
  return {
    kind: "none",
    reason,
    create: () => ({ procsFiles: [], remove: () => undefined }),
    close: () => undefined,
  };
}

/** The group name of a runtime started by process `pid`: `<prefix>-<pid>-<anything>`. */
export const runtimeGroupName = (prefix: string, pid: number, suffix: string): string => `${prefix}-${pid}-${suffix}`;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Removes the empty groups that runtimes killed without closing (SIGKILL, a crash) left under `root`:
 * those named `<prefix>-<pid>-…` whose process is gone. A group still holding a process stays.
 */
export function sweepStaleGroups(root: string, prefix: string): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = new RegExp(`^${prefix}-(\\d+)-`).exec(entry);
    if (!match?.[1] || isAlive(Number(match[1]))) continue;
    const dir = path.join(root, entry);
    try {
      for (const child of readdirSync(dir, { withFileTypes: true })) {
        if (child.isDirectory()) tryRmdir(path.join(dir, child.name));
      }
    } catch {
      // Gone meanwhile.
    }
    tryRmdir(dir);
  }
}

/** The best limits this machine allows, under a group named for this runtime. */
export function cgroupLimits(group: string, stalePrefix?: string): CgroupLimits {
  if (stalePrefix !== undefined) {
    for (const root of [path.join(V1_ROOT, "cpu"), path.join(V1_ROOT, "memory")]) sweepStaleGroups(root, stalePrefix);
  }
  const errors: string[] = [];
  if (
    existsSync(path.join(V1_ROOT, "cpu", "cpu.cfs_quota_us")) ||
    existsSync(path.join(V1_ROOT, "cpu", "cgroup.procs"))
  ) {
    try {
      return v1(group);
    } catch (err) {
      errors.push(`cgroup v1: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (existsSync(path.join(V1_ROOT, "cgroup.controllers"))) {
    try {
      return v2(group);
    } catch (err) {
      errors.push(`cgroup v2: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return none(errors.length > 0 ? errors.join("; ") : "no writable cgroup v1 or v2 hierarchy");
}

/** A shell prefix that puts the shell's own pid into each cgroup, then execs the command. */
export function joinAndExec(procsFiles: string[]): string {
  const joins = procsFiles.map((f) => `echo $$ > '${f.replace(/'/g, "")}'`).join(" && ");
  return `${joins.length > 0 ? `${joins} && ` : ""}exec "$0" "$@"`;
}
