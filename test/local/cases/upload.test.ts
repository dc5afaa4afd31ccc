/**
 * docs/cases.md, Upload: the cases the unit and local-S3 suites do not already cover (see
 * docs/cases.md). S3 does not look inside an upload, so a file that is not an image gets
 * through the presigned POST under any allowed Content-Type; the workflow must refuse it by its bytes,
 * and nothing of it may ever reach thumbnails/.
 */
import { strict as assert } from "node:assert";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { html, pdf, svgWithExternalRef, svgWithScript, textFile } from "../../fixtures/images";
import { uploadImage } from "../../helpers/http";
import type { TestService } from "../../helpers/service";
import { askThumbnail, executionOf, expectError, idOf, thumbnailQuery, withService, type Bucket } from "./support";

describe("CASES Upload: non-images uploaded as image/png (local service)", function () {
  this.timeout(30_000);
  let svc: TestService;
  let buckets: Bucket;

  withService((running, client) => {
    svc = running;
    buckets = client;
  });

  const files: [string, () => Promise<Buffer>][] = [
    ["a text file", textFile],
    ["an HTML page with a script", html],
    ["an SVG with a script", svgWithScript],
    ["an SVG with external references", svgWithExternalRef],
    ["a PDF", pdf],
  ];
  for (const [name, build] of files) {
    it(`${name} under Content-Type image/png: stored as sent, then 415 in every format, nothing under thumbnails/ or staging/`, async () => {
      const bytes = await build();
      const imageName = await uploadImage(svc.appUrl, bytes, "image/png");
      assert.match(imageName, /\.png$/, "the name follows the claimed type");

      const key = `uploads/${imageName}`;
      assert.deepEqual(await buckets.get(svc.config.sourceBucket, key), bytes, "S3 stores what it was sent");
      const head = await buckets.s3.send(new HeadObjectCommand({ Bucket: svc.config.sourceBucket, Key: key }));
      assert.equal(head.ContentType, "image/png", "with the signed Content-Type, whatever the bytes are");

      for (const format of svc.config.formats) {
        const r = await askThumbnail(svc, thumbnailQuery(imageName, "64x64", format));
        expectError(r, 415, "UnsupportedImageType");
        const states = executionOf(svc, r)?.states.map((s) => s.state) ?? [];
        assert.ok(
          states.includes("Resize") && !states.includes("StorePublic"),
          `refused by Resize: ${states.join(",")}`,
        );
        assert.deepEqual(
          await buckets.list(svc.config.thumbnailBucket, `staging/${r.requestId}/`),
          [],
          "nothing staged",
        );
      }
      assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, `thumbnails/${idOf(imageName)}/`), []);
    });
  }

  it("nothing of any of them was ever written to thumbnails/ (the whole prefix is empty)", async () => {
    assert.deepEqual(await buckets.list(svc.config.thumbnailBucket, "thumbnails/"), []);
  });
});
