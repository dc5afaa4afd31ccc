/**
 * Groups left under the cgroup hierarchy by a local Lambda runtime that was killed (no close) are
 * swept by the next one: only those whose process is gone, never a live runtime's. Exercised on a
 * plain directory tree, which is what the sweep reads and removes.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runtimeGroupName, sweepStaleGroups } from "../../../local/lambda/cgroup";

/** A pid no process has: above Linux's pid_max ceiling (2^22). */
const GONE_PID = 4_194_305;

describe("local Lambda: stale cgroups of killed runtimes", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "thumb-cgroup-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("removes an empty group (and its empty environment groups) whose runtime process is gone", () => {
    const stale = path.join(root, runtimeGroupName("thumbnail-local", GONE_PID, "a"));
    mkdirSync(path.join(stale, "validate-1"), { recursive: true });
    sweepStaleGroups(root, "thumbnail-local");
    assert.equal(existsSync(stale), false);
  });

  it("keeps a live runtime's group and anything not named like one", () => {
    const live = path.join(root, runtimeGroupName("thumbnail-local", process.pid, "b"));
    const other = path.join(root, "system.slice");
    mkdirSync(path.join(live, "fetch-1"), { recursive: true });
    mkdirSync(other);
    sweepStaleGroups(root, "thumbnail-local");
    assert.ok(existsSync(path.join(live, "fetch-1")));
    assert.ok(existsSync(other));
  });
});
