/**
 * Count the scans (SOS segments) of a JPEG without decoding it.
 *
 * A progressive JPEG may legally contain hundreds of scans, each of which makes libjpeg walk every
 * block of the image again; a 50 KB file of ~900 empty scans keeps a core busy for seconds, inside
 * libjpeg where libvips' timeout cannot interrupt it (the "Two Issues with the JPEG Standard" finding
 * behind libjpeg-turbo's scan limit). Encoders write at most a dozen or two scans, so a low limit
 * refuses only crafted files, at the cost of one pass of Buffer.indexOf over the bytes.
 */

/** Real encoders write <= ~20 scans (libjpeg's default progression: 10); nvImageCodec caps at 256. */
export const MAX_JPEG_SCANS = 100;

/** Markers without a length field: TEM, RSTn, SOI, EOI. */
const standalone = (m: number): boolean => m === 0x01 || (m >= 0xd0 && m <= 0xd9);

/**
 * The number of SOS markers before EOI (or the end of the data). Entropy-coded data is skipped by
 * looking for the next 0xFF that starts a marker (0xFF00 is a stuffed byte, 0xFFD0-D7 are restarts).
 * Malformed structure simply ends the count: the decoder reports corruption itself.
 */
export function countJpegScans(jpeg: Uint8Array): number {
  const buf = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  let scans = 0;
  let at = 2; // after SOI
  while (at + 4 <= buf.length) {
    if (buf[at] !== 0xff) return scans;
    const marker = buf[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return scans;
    if (standalone(marker)) {
      at += 2;
      continue;
    }
    at += 2 + buf.readUInt16BE(at + 2);
    if (marker !== 0xda) continue;
    scans++;
    // Skip entropy-coded data up to the next real marker.
    for (;;) {
      const ff = buf.indexOf(0xff, at);
      if (ff < 0 || ff + 1 >= buf.length) return scans;
      const next = buf[ff + 1] ?? 0;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
        at = next === 0xff ? ff + 1 : ff + 2;
        continue;
      }
      at = ff;
      break;
    }
  }
  return scans;
}
