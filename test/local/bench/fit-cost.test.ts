/**
 * bench/fit-cost.ts works end to end on a small input: every variant measured, the table printed.
 * Structure only: timings on a shared test machine prove nothing, so none is asserted.
 */
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIT_VARIANTS, measureFitCost, printFitCost } from "../../../bench/fit-cost";
import { loadInput } from "../../../bench/inputs";

describe("bench: fit-cost, quick", function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bench-fit-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("measures inside, the three crops and inside+placeholder, interleaved, and prints them", async () => {
    const input = await loadInput(path.join(dir, "cache"), "jpeg-small");
    const result = await measureFitCost(input, { warmup: 1, samples: 2, res: "256x256" });
    assert.equal(result.input, "jpeg-small");
    for (const v of FIT_VARIANTS) {
      assert.equal(result.variants[v].n, 2, v);
      assert.ok(result.variants[v].p50 > 0, v);
      assert.ok(Number.isFinite(result.ratios[v]), v);
    }
    assert.equal(result.ratios.inside, 1);
    assert.equal(result.placeholderOverhead.n, 2);
    assert.ok(result.placeholderLength > 0 && result.placeholderLength <= 1024);
    const lines: string[] = [];
    printFitCost(result, (s) => lines.push(s));
    for (const label of ["inside", "cover, attention", "cover, entropy", "cover, center", "inside + placeholder"]) {
      assert.ok(
        lines.some((l) => l.startsWith(`| ${label} |`)),
        label,
      );
    }
    assert.ok(lines.some((l) => /^placeholder: \+-?\d/.test(l)));
  });
});
