/**
 * The `pulumi up` warnings for a first deploy in a fresh account: when each fires, and that a failed lookup costs
 * nothing.
 */
import { strict as assert } from "node:assert";
import {
  deployWarnings,
  readAccountFacts,
  type AccountBlockPublicAccess,
  type AccountLookups,
  type DeployWarningConfig,
} from "../../infra/deploy-warnings";
import { STACK_DEFAULTS, readStackConfig } from "../../infra/stack-config";
import { LAMBDA_CONCURRENCY } from "./support/mocks";
import { TEST_CONFIG, loadProgram } from "./support/program";

const DEFAULTS: DeployWarningConfig = readStackConfig(() => undefined);
const SEASONED = { lambdaConcurrency: 1000 };
const OPEN: AccountBlockPublicAccess = { blockPublicPolicy: false, restrictPublicBuckets: false };

const lookups = (concurrency: () => Promise<number>, bpa: () => Promise<AccountBlockPublicAccess>): AccountLookups => ({
  lambdaConcurrency: concurrency,
  accountBlockPublicAccess: bpa,
});
const refuse = (text: string) => (): Promise<never> => Promise.reject(new Error(text));

describe("infra: deploy warnings", () => {
  describe("deployWarnings (pure)", () => {
    it("says nothing for the defaults in an account with the default quota, or when nothing could be read", () => {
      assert.equal(DEFAULTS.resizeMemoryMb, STACK_DEFAULTS.resizeMemoryMb);
      assert.deepEqual(deployWarnings(DEFAULTS, SEASONED), []);
      assert.deepEqual(deployWarnings(DEFAULTS), []);
    });

    it("resizeMemoryMb above 3008: names the key, the error AWS returns, how to get more and the fallback", () => {
      assert.deepEqual(deployWarnings({ ...DEFAULTS, resizeMemoryMb: 3008 }, SEASONED), [], "3008 itself is fine");
      const [warning, ...rest] = deployWarnings({ ...DEFAULTS, resizeMemoryMb: 4096 }, SEASONED);
      assert.deepEqual(rest, []);
      assert.match(warning ?? "", /^resizeMemoryMb is 4096 MB, above 3008 MB/);
      assert.match(warning ?? "", /Member must have value less than or equal to 3008/);
      assert.match(warning ?? "", /AWS Support Center/);
      assert.match(warning ?? "", /set thumbnail-service:resizeMemoryMb to 3008 or less/);
    });

    it("memoryMb above 3008 warns too, for every function but resize", () => {
      const warnings = deployWarnings({ ...DEFAULTS, memoryMb: 3009 }, SEASONED);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? "", /^memoryMb is 3009 MB.*creating the functions fails/);
    });

    it("a concurrency quota of 10: about 5 thumbnails at once, and where to ask for more", () => {
      const [warning, ...rest] = deployWarnings(DEFAULTS, { lambdaConcurrency: 10 });
      assert.deepEqual(rest, []);
      assert.match(warning ?? "", /concurrent executions quota in this region is 10/);
      assert.match(warning ?? "", /about 5 thumbnails can be made at once/);
      assert.match(
        warning ?? "",
        /Service Quotas console .*AWS Lambda > "Concurrent executions" \(L-B99A9384\) > Request increase/,
      );
    });

    it("the concurrency warning fires where Lambda, not the API's throttling, is the limit", () => {
      const burst = DEFAULTS.throttle.burstLimit;
      assert.equal(deployWarnings(DEFAULTS, { lambdaConcurrency: 2 * burst }).length, 0);
      assert.equal(deployWarnings(DEFAULTS, { lambdaConcurrency: 2 * burst - 1 }).length, 1);
      const bigBurst = { ...DEFAULTS, throttle: { rateLimit: 1000, burstLimit: 1000 } };
      assert.match(deployWarnings(bigBurst, SEASONED)[0] ?? "", /bursts of 1000 requests/);
    });

    describe("deliveryMode public-bucket", () => {
      const publicBucket: DeployWarningConfig = { ...DEFAULTS, deliveryMode: "public-bucket" };

      it("always warns; unread, it says what either account setting would do", () => {
        const [warning, ...rest] = deployWarnings(publicBucket, SEASONED);
        assert.deepEqual(rest, []);
        assert.match(warning ?? "", /could not be read \(s3:GetAccountPublicAccessBlock\)/);
        assert.match(warning ?? "", /BlockPublicPolicy on, S3 refuses .*AccessDenied/);
        assert.match(warning ?? "", /RestrictPublicBuckets on, every thumbnail URL answers 403/);
        assert.match(warning ?? "", /deliveryMode cloudfront/);
      });

      it("account-level BlockPublicPolicy on: says precisely that this deploy will fail", () => {
        for (const restrictPublicBuckets of [true, false]) {
          const accountBlockPublicAccess = { blockPublicPolicy: true, restrictPublicBuckets };
          const [warning] = deployWarnings(publicBucket, { ...SEASONED, accountBlockPublicAccess });
          assert.match(warning ?? "", /has BlockPublicPolicy on: S3 will refuse .* this deploy will fail there/);
        }
      });

      it("account-level RestrictPublicBuckets on alone: the deploy succeeds but thumbnails answer 403", () => {
        const [warning] = deployWarnings(publicBucket, {
          ...SEASONED,
          accountBlockPublicAccess: { blockPublicPolicy: false, restrictPublicBuckets: true },
        });
        assert.match(warning ?? "", /RestrictPublicBuckets on: the deploy succeeds, yet .* 403/);
      });

      it("account-level settings off or never set: only the reminder that thumbnails are public", () => {
        for (const accountBlockPublicAccess of [OPEN, "not-configured"] as const) {
          const warnings = deployWarnings(publicBucket, { ...SEASONED, accountBlockPublicAccess });
          assert.equal(warnings.length, 1);
          assert.match(warnings[0] ?? "", /allows that now/);
          assert.doesNotMatch(warnings[0] ?? "", /will fail|403/);
        }
      });
    });

    it("all at once, in a fresh account: memory, concurrency, public bucket", () => {
      const warnings = deployWarnings(
        { ...DEFAULTS, resizeMemoryMb: 10_240, deliveryMode: "public-bucket" },
        { lambdaConcurrency: 10, accountBlockPublicAccess: { blockPublicPolicy: true, restrictPublicBuckets: true } },
      );
      assert.equal(warnings.length, 3);
      assert.match(warnings[0] ?? "", /^resizeMemoryMb is 10240 MB/);
      assert.match(warnings[1] ?? "", /^Lambda's concurrent executions quota in this region is 10 /);
      assert.match(warnings[2] ?? "", /^deliveryMode is public-bucket.*this deploy will fail there/);
    });
  });

  describe("readAccountFacts", () => {
    it("reads the concurrency quota, and Block Public Access in the public-bucket mode only", async () => {
      let bpaAsked = 0;
      const read = lookups(
        async () => 10,
        async () => {
          bpaAsked++;
          return { blockPublicPolicy: true, restrictPublicBuckets: false };
        },
      );
      assert.deepEqual(await readAccountFacts({ deliveryMode: "cloudfront" }, read), { lambdaConcurrency: 10 });
      assert.equal(bpaAsked, 0, "no S3 permission needed in the default mode");
      assert.deepEqual(await readAccountFacts({ deliveryMode: "public-bucket" }, read), {
        lambdaConcurrency: 10,
        accountBlockPublicAccess: { blockPublicPolicy: true, restrictPublicBuckets: false },
      });
    });

    it("a refused or odd lookup is left out and said at debug level; it never rejects", async () => {
      const debug: string[] = [];
      const facts = await readAccountFacts(
        { deliveryMode: "public-bucket" },
        lookups(refuse("AccessDeniedException: not authorized to perform: servicequotas:GetServiceQuota"), () => {
          throw new Error("AccessDenied: s3:GetAccountPublicAccessBlock");
        }),
        (m) => debug.push(m),
      );
      assert.deepEqual(facts, {});
      assert.equal(debug.length, 2);
      assert.match(debug.join("\n"), /servicequotas:GetServiceQuota/);
      assert.match(debug.join("\n"), /s3:GetAccountPublicAccessBlock/);

      const odd = await readAccountFacts(
        { deliveryMode: "public-bucket" },
        // What a data source answering without the expected fields would look like.
        lookups(
          async () => Number.NaN,
          async () => ({}) as AccountBlockPublicAccess,
        ),
        () => undefined,
      );
      assert.deepEqual(odd, {});
    });

    it("an account that never set Block Public Access counts as not blocking", async () => {
      const facts = await readAccountFacts(
        { deliveryMode: "public-bucket" },
        lookups(
          async () => 1000,
          refuse("reading S3 Account Public Access Block: NoSuchPublicAccessBlockConfiguration: none"),
        ),
        () => undefined,
      );
      assert.deepEqual(facts, { lambdaConcurrency: 1000, accountBlockPublicAccess: "not-configured" });
    });
  });

  describe("the program", function () {
    this.timeout(60_000);

    it("warns at `pulumi up` from the account it reads (the mocked fresh account's concurrency quota)", async () => {
      const { warnings } = await loadProgram();
      const config = readStackConfig((key) => (TEST_CONFIG as Record<string, string>)[key]);
      const expected = deployWarnings(config, { lambdaConcurrency: LAMBDA_CONCURRENCY });
      assert.equal(expected.length, 1);
      assert.ok(
        warnings.includes(expected[0] ?? ""),
        `expected the concurrency warning among: ${JSON.stringify(warnings)}`,
      );
    });
  });
});
