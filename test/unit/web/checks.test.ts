import { strict as assert } from "node:assert";
import { checkFile } from "../../../web/src/checks";
import { NBSP } from "../../../web/src/format";

const plain = (s: string): string => s.split(NBSP).join(" ");

const limits = {
  maxUploadBytes: 1000,
  uploadContentTypes: ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"],
};

describe("web: checkFile (before any upload)", () => {
  it("accepts an allowed type within the limit, the limit itself included", () => {
    assert.deepEqual(checkFile({ name: "a.jpg", type: "image/jpeg", size: 1000 }, limits), { ok: true });
  });

  it("refuses a type not in /config, naming it and what is accepted", () => {
    const r = checkFile({ name: "logo.svg", type: "image/svg+xml", size: 10 }, limits);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.reason === "type");
    assert.match(
      !r.ok ? r.message : "",
      /“logo\.svg” is a file of type SVG \(image\/svg\+xml\)\. Choose a JPEG, PNG, WebP, GIF or AVIF image\./,
    );
  });

  it("refuses a file whose type the browser could not tell", () => {
    const r = checkFile({ name: "README", type: "", size: 10 }, limits);
    assert.ok(!r.ok && r.reason === "type" && /unknown type/.test(r.message));
  });

  it("refuses an empty file", () => {
    const r = checkFile({ name: "a.png", type: "image/png", size: 0 }, limits);
    assert.ok(!r.ok && r.reason === "empty");
  });

  it("refuses one byte over the limit, giving both sizes", () => {
    const r = checkFile({ name: "big.jpg", type: "image/jpeg", size: 1001 }, { ...limits, maxUploadBytes: 1000 });
    assert.ok(!r.ok && r.reason === "size");
    const edge = checkFile(
      { name: "big.jpg", type: "image/jpeg", size: 4 * 1024 * 1024 + 1 },
      { ...limits, maxUploadBytes: 4 * 1024 * 1024 },
    );
    assert.ok(
      !edge.ok && plain(edge.message).includes("is 4,194,305 bytes; the limit is 4,194,304 bytes"),
      "exact bytes when the rounded sizes look equal",
    );
    const big = checkFile(
      { name: "big.jpg", type: "image/jpeg", size: 30 * 1024 * 1024 },
      { ...limits, maxUploadBytes: 25 * 1024 * 1024 },
    );
    assert.ok(!big.ok && plain(big.message).includes("is 30 MB; the limit is 25 MB."));
  });
});
