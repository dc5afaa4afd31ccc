/**
 * Sends an open file through an HTTP response in 1 MiB reads into buffers reused across requests.
 *
 * Why not a read stream: fs streams read 64 KiB at a time by default, one thread-pool round trip
 * per chunk (~12 ms for a 4 MB upload here, ~1 ms in 1 MiB reads), and even with a larger
 * highWaterMark a stream allocates a fresh buffer per chunk. Those 4 MB of fresh ArrayBuffers per
 * GET, on top of the SDK's own, kept V8 running a full GC per request in the benchmark (hundreds
 * per run); with the buffers reused the same run had none (bench/README.md, "garbage collection").
 */
import type { FileHandle } from "node:fs/promises";
import type { ServerResponse } from "node:http";

const CHUNK_BYTES = 1024 * 1024;
/** Buffers kept for reuse; more concurrent reads than this allocate and drop their own. */
const MAX_IDLE_BUFFERS = 4;
const idle: Buffer[] = [];

export class ResponseClosed extends Error {
  override readonly name = "ResponseClosed";
}

/**
 * Resolves once `chunk` is handed to the socket (so its buffer may be reused), rejects if the response closes first.
 */
function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = (): void => reject(new ResponseClosed("the client went away"));
    res.once("close", onClose);
    res.write(chunk, (error) => {
      res.off("close", onClose);
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Bytes start..end of a file, both included (a Range's part). */
export interface FileWindow {
  start: number;
  end: number;
}

/** Writes the file (or the `window` of it) to `res` and ends it; the headers must already be set. */
export async function sendFile(file: FileHandle, res: ServerResponse, window?: FileWindow): Promise<void> {
  const buffer = idle.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
  try {
    let position = window?.start ?? 0;
    const end = window ? window.end + 1 : Infinity;
    while (position < end) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(CHUNK_BYTES, end - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      await write(res, buffer.subarray(0, bytesRead));
    }
    // 'close' also settles it: a response destroyed before it finished never emits 'finish'.
    await new Promise<void>((resolve) => {
      res.once("close", resolve);
      res.end(() => resolve());
    });
  } finally {
    // Only after the last write completed (or failed): nothing refers to the buffer any more.
    if (idle.length < MAX_IDLE_BUFFERS) idle.push(buffer);
  }
}
