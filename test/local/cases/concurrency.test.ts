/**
 * docs/cases.md, Concurrency, against the running service: identical requests racing on a cold cache,
 * different sizes of one image at once, a request during its own upload, and a restart of the local
 * S3 on the same data directory. The steady load and the soak are `npm run load` / `npm run soak`.
 */
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { jpeg } from "../../fixtures/images";
import { uploadImage, uploadTicket } from "../../helpers/http";
import { startTestService, type TestService } from "../../helpers/service";
import {
  askThumbnail,
  bucketsOf,
  download,
  expectError,
  expectThumbnail,
  idOf,
  thumbnailQuery,
  withService,
  type Bucket,
} from "./support";

describe("CASES Concurrency (local service)", function () {
  this.timeout(60_000);
  let svc: TestService;
  let buckets: Bucket;

  withService((running, client) => {
    svc = running;
    buckets = client;
  });

  it("50 concurrent identical requests on a cold cache -> all 200, one URL, one stored object equal to a single run's", async () => {
    const source = await jpeg(480, 360, 31);
    const imageName = await uploadImage(svc.appUrl, source, "image/jpeg");
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => askThumbnail(svc, thumbnailQuery(imageName, "256x256", "webp"))),
    );
    const results = answers.map(expectThumbnail);
    assert.deepEqual(new Set(results.map((r) => r.url)).size, 1, "the same URL for all");
    assert.ok(
      results.some((r) => !r.cached),
      "the cache was cold",
    );
    const keys = await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`);
    assert.equal(keys.length, 1, `one stored object: ${keys.join(", ")}`);
    const stored = await download(results[0]?.url ?? "");
    assert.ok(results.every((r) => r.bytes === stored.length && r.width === 256 && r.height === 192));

    // A single run of the same request in another, fresh service.
    const single = await startTestService();
    try {
      const name = await uploadImage(single.appUrl, source, "image/jpeg");
      const alone = await download(
        expectThumbnail(await askThumbnail(single, thumbnailQuery(name, "256x256", "webp"))).url,
      );
      assert.ok(stored.equals(alone), "the object the race left is byte-identical to a single run's");
    } finally {
      await single.stop();
    }
  });

  it("different resolutions and formats of one image at once -> independent, all 200, each the right size", async () => {
    const imageName = await uploadImage(svc.appUrl, await jpeg(1200, 900, 32), "image/jpeg");
    const asks = svc.config.resolutions.flatMap((res) =>
      (["jpeg", "png", "webp"] as const).map((format) => ({ res, format })),
    );
    const answers = await Promise.all(
      asks.map(({ res, format }) => askThumbnail(svc, thumbnailQuery(imageName, res, format))),
    );
    const results = answers.map(expectThumbnail);
    assert.equal(new Set(results.map((r) => r.url)).size, asks.length, "one thumbnail per size and format");
    for (const [i, r] of results.entries()) {
      const ask = asks[i];
      assert.ok(ask);
      const box = Number(ask.res.split("x")[0]);
      assert.deepEqual(
        [r.res, r.format, r.width, r.height],
        [ask.res, ask.format, Math.min(box, 1200), Math.min(box * 0.75, 900)],
      );
      const meta = await sharp(await download(r.url)).metadata();
      assert.deepEqual([meta.width, meta.height, meta.format], [r.width, r.height, ask.format]);
    }
    assert.equal(
      (await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`)).length,
      asks.length,
    );
  });

  it("a thumbnail requested during its upload -> 404 while the POST is still arriving, then 200 once it is done", async () => {
    const ticket = await uploadTicket(svc.appUrl, "image/jpeg");
    const file = await jpeg(640, 480, 33);
    const boundary = "----casesSlowUpload";
    let head = "";
    for (const [k, v] of Object.entries(ticket.fields))
      head += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
    head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    // The browser sends the form and half of the file, then stalls (a slow phone connection).
    const target = new URL(ticket.url);
    const req = request({
      host: target.hostname,
      port: target.port,
      method: "POST",
      path: target.pathname,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" },
    });
    let settled = false;
    const posting = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on("error", reject);
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
    }).finally(() => (settled = true));
    req.write(head);
    // Once the form and half of the file are on the connection (the write's callback), not after a sleep.
    await new Promise<void>((resolve, reject) =>
      req.write(file.subarray(0, file.length >> 1), (err) => (err ? reject(err) : resolve())),
    );
    const during = await askThumbnail(svc, thumbnailQuery(ticket.imageName, "128x128"));
    assert.equal(settled, false, "the upload was still in progress");
    expectError(during, 404, "ImageNotFound");

    req.end(Buffer.concat([file.subarray(file.length >> 1), Buffer.from(`\r\n--${boundary}--\r\n`)]));
    const uploaded = await posting;
    assert.equal(uploaded.status, 204, uploaded.body);
    const after = expectThumbnail(await askThumbnail(svc, thumbnailQuery(ticket.imageName, "128x128")));
    assert.deepEqual([after.width, after.height, after.cached], [128, 96, false], "the 404 left nothing behind");
    const source = await buckets.get(svc.config.sourceBucket, `uploads/${ticket.imageName}`);
    assert.ok(source.equals(file), "the whole upload, byte for byte");
  });
});

describe("CASES Concurrency: the local S3 restarted", function () {
  this.timeout(60_000);
  let dataDir: string;
  let svc: TestService | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cases-restart-"));
  });
  after(async () => {
    await svc?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a service stopped and started again on the same data directory has lost no upload and no published thumbnail", async () => {
    const source = await jpeg(640, 480, 34);
    svc = await startTestService({ dataDir });
    const imageName = await uploadImage(svc.appUrl, source, "image/jpeg");
    const first = expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256")));
    const published = await download(first.url);
    const key = first.url.slice(svc.config.publicBaseUrl.length + 1);
    const unpublishedName = await uploadImage(svc.appUrl, await jpeg(320, 240, 35), "image/jpeg");
    await svc.stop();
    svc = undefined;

    svc = await startTestService({ dataDir });
    const buckets = bucketsOf(svc);
    try {
      assert.ok(
        (await buckets.get(svc.config.sourceBucket, `uploads/${imageName}`)).equals(source),
        "the upload survived",
      );
      assert.ok(
        (await download(`${svc.config.publicBaseUrl}/${key}`)).equals(published),
        "the public thumbnail survived, still public",
      );
      const again = expectThumbnail(await askThumbnail(svc, thumbnailQuery(imageName, "256x256")));
      assert.equal(again.cached, true, "found, not remade");
      assert.ok(again.url.endsWith(`/${key}`));
      const other = expectThumbnail(await askThumbnail(svc, thumbnailQuery(unpublishedName, "128x128")));
      assert.deepEqual([other.width, other.height], [128, 96], "an upload made before the restart is still usable");
    } finally {
      buckets.destroy();
    }
  });
});
