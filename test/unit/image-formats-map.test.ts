/**
 * The one table of image formats (lambdas/shared/image-formats.ts) and what is derived from it; the
 * JSON Schemas cannot import it, so their enums are held to it here.
 */
import { strict as assert } from "node:assert";
import defs from "../../schemas/defs.schema.json";
import { CONFIG_DEFAULTS } from "../../lambdas/shared/config";
import {
  contentTypeOf,
  extensionOf,
  formatOfContentType,
  IMAGE_FORMATS,
  OUTPUT_FORMATS,
  SOURCE_FORMATS,
  UPLOAD_CONTENT_TYPES,
} from "../../lambdas/shared/image-formats";
import { newImageName, thumbnailKey } from "../../lambdas/shared/keys";
import { ENCODERS } from "../../lambdas/resize/encoders";
import { formatName, typeName } from "../../web/src/format";

describe("image formats: one table", () => {
  it("the schemas' format and content-type enums are the table's output formats and upload types", () => {
    assert.deepEqual([...defs.$defs.format.enum].sort(), [...OUTPUT_FORMATS].sort());
    assert.deepEqual([...defs.$defs.contentType.enum].sort(), [...UPLOAD_CONTENT_TYPES].sort());
  });

  it("the configuration's defaults offer every output format and upload type, in the table's order", () => {
    assert.deepEqual([...CONFIG_DEFAULTS.formats], ["jpeg", "png", "webp", "avif"]);
    assert.deepEqual(
      [...CONFIG_DEFAULTS.uploadContentTypes],
      ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"],
    );
  });

  it("every output format has an encoder, and GIF is read but never written", () => {
    assert.deepEqual(Object.keys(ENCODERS).sort(), [...OUTPUT_FORMATS].sort());
    assert.ok(SOURCE_FORMATS.includes("gif") && !IMAGE_FORMATS.gif.output);
  });

  it("names, keys and upload names take their extension and type from it", () => {
    for (const format of SOURCE_FORMATS) {
      assert.equal(formatOfContentType(contentTypeOf(format)), format);
      assert.match(newImageName(contentTypeOf(format)), new RegExp(`^[0-9a-f-]{36}\\.${extensionOf(format)}$`));
    }
    assert.match(newImageName(), /\.img$/);
    assert.equal(thumbnailKey("abc.png", "e1", "64x64", "jpeg"), "thumbnails/abc/e1/64x64.jpg");
    assert.equal(IMAGE_FORMATS.jpeg.extension, "jpg");
  });

  it("the page names types and formats from it", () => {
    for (const format of SOURCE_FORMATS) {
      assert.equal(typeName(contentTypeOf(format)), IMAGE_FORMATS[format].name);
      assert.equal(formatName(format), IMAGE_FORMATS[format].name);
    }
    assert.equal(typeName("image/svg+xml"), "SVG");
    assert.equal(formatName("tiff"), "TIFF");
  });
});
