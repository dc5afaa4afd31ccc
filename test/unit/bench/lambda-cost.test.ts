/**
 * The lambda phase's cost arithmetic against hand-computed figures: Lambda bills Init + Duration
 * rounded up to 1 ms at memory/1024 GB; Express bills duration rounded up to 100 ms at memory
 * rounded up to 64 MB; S3 requests by price class; a thumbnail's lines add up.
 */
import { strict as assert } from "node:assert";
import {
  expressBilling,
  expressExecutionUsd,
  gbSeconds,
  lambdaBilledMs,
  lambdaInvocationUsd,
  perMillion,
  s3Usd,
  thumbnailUsd,
  type Rates,
} from "../../../bench/lambda/cost";
import { PRICES } from "../../../bench/lambda/prices";
import { byPriceClass, S3_FROM_CODE } from "../../../bench/lambda/s3-requests";

/** Equal to 1e-9 relative: the figures are sums of products of decimals, not exact in binary. */
function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-18, `${actual} != ${expected}`);
}

describe("bench lambda cost: Lambda billing", () => {
  it("bills Init + Duration rounded up to the millisecond", () => {
    assert.equal(lambdaBilledMs(12.3), 13);
    assert.equal(lambdaBilledMs(12), 12);
    assert.equal(lambdaBilledMs(0.01), 1);
    // 150.4 + 0.2 = 150.6 -> 151: the sum is rounded, not each part.
    assert.equal(lambdaBilledMs(0.2, 150.4), 151);
  });

  it("counts GB-seconds with 1024 MB to the GB", () => {
    near(gbSeconds(256, 13), 0.00325);
    near(gbSeconds(1024, 500), 0.5);
    near(gbSeconds(3008, 1000), 2.9375);
  });

  it("prices a warm and a cold invocation at arm64's rates", () => {
    // 256 MB, 12.3 ms -> 13 ms -> 0.00325 GB-s x $0.0000133334 = $4.333355e-8; plus $0.20 per million.
    const warm = lambdaInvocationUsd({ memoryMb: 256, durationMs: 12.3 });
    near(warm.compute, 4.333355e-8);
    near(warm.request, 2e-7);
    // A million of them: $0.0433 + $0.20.
    near((warm.compute + warm.request) * 1e6, 0.24333355);
    // 1024 MB cold: Init 400.2 + Duration 99.5 = 499.7 -> 500 ms -> 0.5 GB-s -> $6.6667e-6.
    near(lambdaInvocationUsd({ memoryMb: 1024, durationMs: 99.5, initMs: 400.2 }).compute, 0.5 * 0.0000133334);
  });
});

describe("bench lambda cost: Step Functions Express billing", () => {
  it("rounds duration up to 100 ms and memory up to 64 MB chunks", () => {
    assert.deepEqual(expressBilling(345, 50), { billedDurationMs: 400, billedMemoryMb: 64 });
    assert.deepEqual(expressBilling(100, 64), { billedDurationMs: 100, billedMemoryMb: 64 });
    assert.deepEqual(expressBilling(0.4, 65), { billedDurationMs: 100, billedMemoryMb: 128 });
    assert.deepEqual(expressBilling(2501, 64), { billedDurationMs: 2600, billedMemoryMb: 64 });
  });

  it("prices an execution: $1.00 per million plus $0.06 per GB-hour", () => {
    // 400 ms x 64 MB = 0.4 s x 0.0625 GB = 0.025 GB-s; x $0.06/3600 = $4.1666667e-7.
    const cost = expressExecutionUsd({ billedDurationMs: 400, billedMemoryMb: 64 });
    near(cost.duration, 0.025 * (0.06 / 3600));
    near(cost.duration, 4.16666667e-7);
    near(cost.request, 1e-6);
  });
});

describe("bench lambda cost: S3 and a whole thumbnail", () => {
  it("prices S3 requests by class", () => {
    const cost = s3Usd({ putCopyPostList: 2, getHead: 4 });
    near(cost.putCopyPostList, 2 * 0.000005);
    near(cost.getHead, 4 * 0.0000004);
  });

  it("sorts counted requests into price classes: a miss is PUT + COPY and 3 HEAD + GET", () => {
    assert.deepEqual(byPriceClass(S3_FROM_CODE.miss), { putCopyPostList: 2, getHead: 4 });
    assert.deepEqual(byPriceClass(S3_FROM_CODE.hit), { putCopyPostList: 0, getHead: 2 });
    assert.deepEqual(byPriceClass({ ...S3_FROM_CODE.oneLambda, DELETE: 3 }), { putCopyPostList: 1, getHead: 1 });
  });

  it("adds a thumbnail's lines up (rates chosen to make the arithmetic plain)", () => {
    const rates: Rates = {
      lambdaArm64GbSecond: 1,
      lambdaRequest: 0.5,
      expressRequest: 2,
      expressGbSecond: 10,
      s3PutCopyPostList: 3,
      s3GetHead: 0.25,
      httpApiRequest: 7,
    };
    const cost = thumbnailUsd(
      {
        invocations: [
          // 99.1 -> 100 ms at 0.5 GB = 0.05 GB-s
          { name: "a", memoryMb: 512, durationMs: 99.1 },
          // 249.2 + 0.5 = 249.7 -> 250 ms at 2 GB = 0.5 GB-s
          { name: "b", memoryMb: 2048, durationMs: 0.5, initMs: 249.2 },
        ],
        // 0.2 s x 0.0625 GB = 0.0125 GB-s
        express: { billedDurationMs: 200, billedMemoryMb: 64 },
        s3: { putCopyPostList: 2, getHead: 4 },
        httpApiRequests: 1,
      },
      rates,
    );
    near(cost.lambdaCompute, 0.55);
    near(cost.lambdaRequests, 1);
    near(cost.expressDuration, 0.125);
    near(cost.expressRequests, 2);
    near(cost.s3PutCopyPostList, 6);
    near(cost.s3GetHead, 1);
    near(cost.httpApi, 7);
    near(cost.total, 17.675);
    near(perMillion(cost).total, 17_675_000);
    near(perMillion(cost).s3GetHead, 1_000_000);
  });

  it("without a workflow (the one-Lambda variant) charges no Step Functions line", () => {
    const cost = thumbnailUsd({
      invocations: [{ name: "one", memoryMb: 3008, durationMs: 40 }],
      s3: { putCopyPostList: 1, getHead: 1 },
      httpApiRequests: 1,
    });
    assert.equal(cost.expressDuration, 0);
    assert.equal(cost.expressRequests, 0);
    // 40 ms x 2.9375 GB = 0.1175 GB-s at arm64's rate, one request each of Lambda, S3 PUT, S3 GET, HTTP API.
    near(cost.total, 0.1175 * 0.0000133334 + 2e-7 + 0.000005 + 0.0000004 + 1e-6);
  });

  it("every price names its source and how far it is confirmed", () => {
    for (const p of Object.values(PRICES)) {
      assert.ok(p.usd > 0);
      assert.match(p.source, /^https:\/\/aws\.amazon\.com\//);
      assert.ok(p.confirmed.length > 0);
    }
  });
});
