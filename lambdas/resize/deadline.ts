/**
 * The processing timeout on the wall clock. sharp's own timeout counts whole seconds and is checked
 * only when libvips finishes a strip of output, so a slow decode with a tiny output (a 100 MP PNG
 * shrunk to 41x256) can run well past it and succeed; the contract wants a 422 (docs/cases.md, I11). sharp's
 * timeout also stops the native work, so it gets the first chance; past the limit plus a grace the
 * deadline answers, and the abandoned native work finishes on its libuv thread.
 */
import { ImageTooLarge } from "../shared/errors";

const GRACE_MS = 200;

export async function withinProcessingTime<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(ImageTooLarge.tookTooLong(seconds)), seconds * 1000 + GRACE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
