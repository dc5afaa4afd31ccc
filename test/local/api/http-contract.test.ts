/**
 * The HTTP contract of docs/http-contract.md against the app as `npm start` runs it (in-process, ephemeral
 * ports): real uploads through the presigned POST, real workflow executions, real thumbnails.
 */
import { strict as assert } from "node:assert";
import sharp from "sharp";
import {
  jpeg,
  phoneJpeg12mpRotated,
  pngBombHeader,
  svgWithScript,
  textFile,
  truncatedJpeg,
} from "../../fixtures/images";
import { getJson, postUpload, uploadImage, uploadTicket } from "../../helpers/http";
import { startTestService, type TestService } from "../../helpers/service";
import { holdTask } from "../../helpers/task-faults";

interface ErrorBody {
  error: { code: string; message: string };
  requestId: string;
}

describe("HTTP API contract (local app, real stand-ins)", function () {
  this.timeout(60_000);
  let svc: TestService;
  const origin = "https://app.example.com";

  before(async () => {
    svc = await startTestService({ overrides: { ALLOWED_ORIGINS: origin } });
  });
  after(async () => svc?.stop());
  afterEach(() => {
    svc.sfn.faults.clear();
    svc.s3.faults.clear();
  });

  const thumbnail = (query: string) => getJson(`${svc.appUrl}/thumbnail?${query}`, { headers: { origin } });

  async function expectError(query: string, status: number, code: string): Promise<ErrorBody & { headers: Headers }> {
    const r = await thumbnail(query);
    assert.equal(r.status, status, JSON.stringify(r.body));
    const body = r.body as ErrorBody;
    assert.equal(body.error.code, code);
    assert.ok(body.error.message.length > 0);
    assert.equal(body.requestId, r.headers.get("x-request-id"), "the body names the request id of the header");
    assert.equal(r.headers.get("access-control-allow-origin"), origin, "errors carry CORS headers too");
    return { ...body, headers: r.headers };
  }

  it("GET /config lists what a client may ask for", async () => {
    const r = await getJson(`${svc.appUrl}/config`, { headers: { origin } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      resolutions: svc.config.resolutions,
      formats: svc.config.formats,
      defaultFormat: "jpeg",
      maxUploadBytes: svc.config.maxUploadBytes,
      uploadContentTypes: svc.config.uploadContentTypes,
      fits: ["inside", "cover"],
      positions: ["attention", "entropy", "center"],
    });
    assert.ok(r.headers.get("x-request-id"));
    assert.equal(r.headers.get("access-control-allow-origin"), origin);
  });

  it("answers a preflight only for an allowed origin", async () => {
    const ok = await fetch(`${svc.appUrl}/thumbnail`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET" },
    });
    assert.equal(ok.headers.get("access-control-allow-origin"), origin);
    const other = await fetch(`${svc.appUrl}/thumbnail`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  it("a 12 MP sideways phone photo -> an upright 256x256-bounded thumbnail without EXIF, at a public URL", async () => {
    const photo = await phoneJpeg12mpRotated(6); // stored 4000x3000, displayed 3000x4000
    const imageName = await uploadImage(svc.appUrl, photo);
    const anonymousUpload = await fetch(`${svc.s3Endpoint}/${svc.config.sourceBucket}/uploads/${imageName}`);
    assert.equal(anonymousUpload.status, 403, "the upload itself is not readable anonymously");

    const r = await thumbnail(`imageName=${imageName}&res=256x256`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = r.body as {
      url: string;
      width: number;
      height: number;
      format: string;
      bytes: number;
      cached: boolean;
      imageName: string;
      res: string;
    };
    assert.deepEqual(
      [body.width, body.height, body.format, body.cached, body.imageName, body.res],
      [192, 256, "jpeg", false, imageName, "256x256"],
    );
    const image = await fetch(body.url); // no credentials: as a private browser window would
    assert.equal(image.status, 200);
    assert.match(image.headers.get("cache-control") ?? "", /immutable/);
    const bytes = Buffer.from(await image.arrayBuffer());
    assert.equal(bytes.length, body.bytes);
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.width, meta.height], [192, 256], "upright: portrait");
    assert.equal(meta.exif, undefined, "no EXIF (so no GPS)");
    assert.equal(meta.orientation, undefined);

    const log = await getJson(`${svc.appUrl}/_local/executions/${r.headers.get("x-request-id")}`);
    assert.equal(log.status, 200, "x-request-id names the execution");
    assert.equal((log.body as { status: string }).status, "SUCCEEDED");

    const again = await thumbnail(`imageName=${imageName}&res=256x256`);
    assert.equal((again.body as { cached: boolean; url: string }).cached, true);
    assert.equal((again.body as { url: string }).url, body.url);
  });

  it("400 for bad parameters, and no execution is started", async () => {
    for (const query of [
      "imageName=../x&res=256x256",
      "imageName=x.jpg&res=9999x9999",
      "res=256x256",
      `imageName=${crypto.randomUUID()}.jpg&res=256x256&res=64x64`,
    ]) {
      const e = await expectError(query, 400, "ValidationError");
      const log = await getJson(`${svc.appUrl}/_local/executions/${e.requestId}`);
      assert.equal(log.status, 404, `${query} started an execution`);
    }
    const listed = await expectError(`imageName=${crypto.randomUUID()}.jpg&res=100x100`, 400, "ValidationError");
    assert.match(listed.error.message, /256x256/);
  });

  it("404 ImageNotFound for a name never uploaded", async () => {
    await expectError(`imageName=${crypto.randomUUID()}.jpg&res=256x256`, 404, "ImageNotFound");
  });

  it("415 for a text file and an SVG uploaded as image/jpeg; nothing published", async () => {
    for (const file of [await textFile(), await svgWithScript()]) {
      const imageName = await uploadImage(svc.appUrl, file);
      await expectError(`imageName=${imageName}&res=256x256`, 415, "UnsupportedImageType");
    }
  });

  it("422 for a truncated JPEG and for a 20000x20000 PNG", async () => {
    await expectError(
      `imageName=${await uploadImage(svc.appUrl, await truncatedJpeg())}&res=256x256`,
      422,
      "CorruptImage",
    );
    const bomb = await uploadImage(svc.appUrl, await pngBombHeader(20000, 20000), "image/png");
    const e = await expectError(`imageName=${bomb}&res=256x256`, 422, "ImageTooLarge");
    assert.match(e.error.message, /limit/);
  });

  it("503 with Retry-After when storage stays down, then 200 once it recovers", async () => {
    const imageName = await uploadImage(svc.appUrl, await jpeg(640, 480));
    const fault = svc.s3.faults.add({
      method: "HEAD",
      bucket: svc.config.sourceBucket,
      status: 503,
      code: "ServiceUnavailable",
    });
    const e = await expectError(`imageName=${imageName}&res=128x128`, 503, "ServiceUnavailable");
    assert.ok(Number(e.headers.get("retry-after")) > 0);
    fault.remove();
    const ok = await thumbnail(`imageName=${imageName}&res=128x128`);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it("504 when the workflow times out", async () => {
    const imageName = await uploadImage(svc.appUrl, await jpeg(320, 240));
    // Both attempts held past ReturnUrl's TimeoutSeconds: a Task's timeout is retried once.
    const held = holdTask(svc.sfn.faults, "ReturnUrl", 2);
    await expectError(`imageName=${imageName}&res=64x64`, 504, "WorkflowTimeout");
    await held.release();
  });

  it("the upload is refused by the local S3 as S3 refuses it", async () => {
    const ticket = await uploadTicket(svc.appUrl, "image/png");
    const tooBig = await postUpload(ticket, Buffer.alloc(svc.config.maxUploadBytes + 1), "image/png");
    assert.equal(tooBig.status, 400);
    assert.match(await tooBig.text(), /EntityTooLarge/);
    // The policy pins Content-Type from the ticket's fields; a client changing it is refused.
    const form = new FormData();
    const t = await uploadTicket(svc.appUrl, "image/png");
    for (const [k, v] of Object.entries(t.fields)) form.append(k, k === "Content-Type" ? "text/html" : v);
    form.append("file", new Blob([new Uint8Array(await jpeg(10, 10))]), "x");
    const tampered = await fetch(t.url, { method: "POST", body: form });
    assert.equal(tampered.status, 403);
  });
});
