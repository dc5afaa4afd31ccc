/**
 * docs/cases.md, Request validation, through the running API: every malformed parameter is a 400 before
 * any execution starts (the execution name is the answer's x-request-id, so "no execution" is
 * checked by looking it up), and a 404 comes only from S3 saying the key does not exist.
 */
import { strict as assert } from "node:assert";
import { startTestService, type TestService } from "../../helpers/service";
import { askThumbnail, expectError, type Answer } from "./support";

describe("CASES Request validation (local service)", function () {
  this.timeout(30_000);
  let svc: TestService;
  const good = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg";

  before(async () => {
    svc = await startTestService();
  });
  after(async () => svc?.stop());
  afterEach(() => svc.s3.faults.clear());

  function refusedWithoutExecution(r: Answer): string {
    const body = expectError(r, 400, "ValidationError");
    assert.equal(svc.sfn.getExecutionLog(r.requestId), undefined, "no execution was started");
    return body.error.message;
  }

  // Sent as written in the query string: percent-escapes are what a client would put on the wire.
  const badNames: [string, string][] = [
    ["traversal ../x", "../x"],
    ["encoded traversal %2e%2e/", `%2e%2e/${good}`],
    ["encoded traversal %2E%2E%2F", `%2E%2E%2F${good}`],
    ["an absolute path", "/etc/passwd"],
    ["another prefix (uploads/)", `uploads/${good}`],
    ["another prefix (thumbnails/)", `thumbnails/${good}`],
    ["another prefix (staging/)", `staging/${good}`],
    ["a NUL", `${good}%00`],
    ["a NUL before the extension", good.replace(".jpg", "%00.jpg")],
    ["CR/LF", `${good}%0d%0aX-Injected:%201`],
    ["a 2 KB string", "a".repeat(2048)],
    ["an upper-case id", good.toUpperCase()],
    ["an upper-case extension", good.replace(".jpg", ".JPG")],
    ["an id without dashes", good.replace(/-/g, "")],
    ["a UUID that is not version 4", good.replace("-4e5f-", "-1e5f-")],
    ["an extension never issued", good.replace(".jpg", ".svg")],
    ["an empty name", ""],
  ];
  for (const [what, name] of badNames) {
    it(`imageName with ${what} -> 400, no execution`, async () => {
      refusedWithoutExecution(await askThumbnail(svc, `imageName=${name}&res=256x256`));
    });
  }

  it("a repeated parameter -> 400, no execution (imageName, res, format)", async () => {
    for (const query of [
      `imageName=${good}&imageName=${good}&res=256x256`,
      `imageName=${good}&res=256x256&res=256x256`,
      `imageName=${good}&res=256x256&format=png&format=png`,
    ]) {
      assert.match(refusedWithoutExecution(await askThumbnail(svc, query)), /repeated/, query);
    }
  });

  const badRes = [
    "0x0",
    "-1x5",
    "1e3x1e3",
    "100X100",
    "%20100x100",
    "100x100%20",
    "0100x100",
    "100x",
    "x100",
    "10000x10000",
    "256x256x1",
    "256%2C256",
  ];
  for (const res of badRes) {
    it(`res ${JSON.stringify(decodeURIComponent(res))} -> 400 listing the allowed values, no execution`, async () => {
      const message = refusedWithoutExecution(await askThumbnail(svc, `imageName=${good}&res=${res}`));
      assert.ok(message.includes(svc.config.resolutions.join(", ")), message);
    });
  }

  it("a valid size not in the allowlist -> 400 listing the allowed values, no execution", async () => {
    const message = refusedWithoutExecution(await askThumbnail(svc, `imageName=${good}&res=100x100`));
    assert.ok(message.includes(svc.config.resolutions.join(", ")), message);
  });

  it("a format not offered -> 400 listing the allowed formats, no execution", async () => {
    const message = refusedWithoutExecution(await askThumbnail(svc, `imageName=${good}&res=256x256&format=gif`));
    assert.ok(message.includes(svc.config.formats.join(", ")), message);
  });

  it("unknown parameters never select a bucket or key: 400 naming them, no execution", async () => {
    for (const extra of [
      "bucket=thumbnail-public",
      "Bucket=other",
      "key=thumbnails/x",
      "sourceKey=uploads/x",
      "thumbnailKey=thumbnails/x",
      "stagingKey=staging/x",
      "requestId=x",
    ]) {
      const message = refusedWithoutExecution(await askThumbnail(svc, `imageName=${good}&res=256x256&${extra}`));
      assert.match(message, new RegExp(`unknown parameter '${extra.split("=")[0]}'`), extra);
    }
  });

  it("a valid id that was never uploaded -> 404 ImageNotFound, from S3's answer", async () => {
    const r = await askThumbnail(svc, `imageName=${crypto.randomUUID()}.png&res=256x256`);
    expectError(r, 404, "ImageNotFound");
    assert.equal(
      svc.sfn.getExecutionLog(r.requestId)?.states.at(-1)?.state,
      "ImageNotFound",
      "the workflow looked and S3 said no such key",
    );
  });

  it("404 only when S3 says NoSuchKey: S3 refusing (403) or failing (500, 503) is never a 404", async () => {
    const name = `${crypto.randomUUID()}.jpg`;
    const cases: [number, string, number, string][] = [
      [403, "AccessDenied", 500, "InternalError"],
      [500, "InternalError", 503, "ServiceUnavailable"],
      [503, "SlowDown", 503, "ServiceUnavailable"],
    ];
    for (const [status, code, expected, expectedCode] of cases) {
      const fault = svc.s3.faults.add({ bucket: svc.config.sourceBucket, keyPrefix: `uploads/${name}`, status, code });
      try {
        const r = await askThumbnail(svc, `imageName=${name}&res=256x256`);
        expectError(r, expected, expectedCode);
        assert.ok(fault.hits > 0, "the workflow did ask S3");
      } finally {
        fault.remove();
      }
    }
    expectError(await askThumbnail(svc, `imageName=${name}&res=256x256`), 404, "ImageNotFound");
  });
});
