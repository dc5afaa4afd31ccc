/** fit and position: one list in code, the same in the schemas, in GET /config and in the stored-once keys. */
import { strict as assert } from "node:assert";
import defs from "../../schemas/defs.schema.json";
import { publicConfig } from "../../lambdas/config/public-config";
import { parseConfig } from "../../lambdas/shared/config";
import { CROP_POSITIONS, DEFAULT_FIT, DEFAULT_POSITION, FITS } from "../../lambdas/shared/fit";
import { thumbnailKey } from "../../lambdas/shared/keys";
import { PLACEHOLDER_MAX_LENGTH, PLACEHOLDER_PATTERN } from "../../lambdas/shared/placeholder";

const NAME = "0b7e9f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b.jpg";
const ETAG = "0123456789abcdef0123456789abcdef";

describe("fit and position", () => {
  it("the code's lists are the schemas' enums, defaults first", () => {
    assert.deepEqual(FITS, defs.$defs.fit.enum);
    assert.deepEqual(CROP_POSITIONS, defs.$defs.position.enum);
    assert.deepEqual([FITS[0], CROP_POSITIONS[0]], [DEFAULT_FIT, DEFAULT_POSITION]);
    assert.equal(defs.$defs.placeholder.pattern, PLACEHOLDER_PATTERN);
    assert.equal(defs.$defs.placeholder.maxLength, PLACEHOLDER_MAX_LENGTH);
  });

  it("GET /config lists them", () => {
    const config = parseConfig({
      SOURCE_BUCKET: "uploads-bucket",
      THUMBNAIL_BUCKET: "thumbs-bucket",
      PUBLIC_BASE_URL: "https://cdn.example.com",
    });
    const listed = publicConfig(config);
    assert.deepEqual(
      [listed.fits, listed.positions],
      [
        ["inside", "cover"],
        ["attention", "entropy", "center"],
      ],
    );
  });

  it("inside keys are the keys of before crops; each cover position is its own object", () => {
    const id = NAME.slice(0, NAME.indexOf("."));
    assert.equal(thumbnailKey(NAME, ETAG, "256x256", "jpeg"), `thumbnails/${id}/${ETAG}/256x256.jpg`);
    assert.equal(thumbnailKey(NAME, ETAG, "256x256", "jpeg", "inside"), `thumbnails/${id}/${ETAG}/256x256.jpg`);
    const keys = CROP_POSITIONS.map((p) => thumbnailKey(NAME, ETAG, "256x256", "webp", "cover", p));
    assert.deepEqual(
      keys,
      ["attention", "entropy", "center"].map((p) => `thumbnails/${id}/${ETAG}/256x256-cover-${p}.webp`),
    );
    assert.match(keys[0] ?? "", new RegExp(defs.$defs.key.pattern), "within the key schema");
    assert.throws(() => thumbnailKey(NAME, ETAG, "256x256", "webp", "cover"), RangeError);
  });
});
