/**
 * Decodes `Content-Encoding: aws-chunked` bodies. The AWS SDK sends streamed PutObject/UploadPart
 * bodies this way (with an x-amz-checksum-* trailer); s3rver would store the chunk framing as object
 * bytes. The gate forwards the decoded bytes with x-amz-decoded-content-length as Content-Length.
 * Chunk signatures and trailer checksums are not verified (see README.md).
 */
import { Transform, type TransformCallback } from "node:stream";
import { s3Error } from "./s3-error";

const MAX_LINE = 8192;
const CRLF = Buffer.from("\r\n");

type State = "size" | "data" | "data-end" | "trailer" | "done";

export class AwsChunkedDecoder extends Transform {
  private state: State = "size";
  private line = Buffer.alloc(0);
  private remaining = 0;
  private decoded = 0;
  readonly trailers = new Map<string, string>();

  constructor(private readonly expectedLength: number | undefined) {
    super();
  }

  /** Reads up to CRLF into this.line; returns the offset after the CRLF, or -1 if the line is incomplete. */
  private readLine(chunk: Buffer, offset: number): number {
    // A CRLF split across two network chunks: CR ended the previous chunk, LF starts this one.
    if (this.line.at(-1) === 0x0d && chunk[offset] === 0x0a) {
      this.line = this.line.subarray(0, -1);
      return offset + 1;
    }
    const end = chunk.indexOf(CRLF, offset);
    const piece = chunk.subarray(offset, end === -1 ? chunk.length : end);
    this.line = this.line.length === 0 ? Buffer.from(piece) : Buffer.concat([this.line, piece]);
    if (this.line.length > MAX_LINE) throw s3Error("IncompleteBody", "Malformed aws-chunked body: line too long.");
    return end === -1 ? -1 : end + 2;
  }

  private takeLine(): string {
    const text = this.line.toString("latin1");
    this.line = Buffer.alloc(0);
    return text;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let offset = 0;
      while (offset < chunk.length && this.state !== "done") {
        if (this.state === "data") {
          const n = Math.min(this.remaining, chunk.length - offset);
          this.push(chunk.subarray(offset, offset + n));
          this.decoded += n;
          this.remaining -= n;
          offset += n;
          if (this.remaining === 0) this.state = "data-end";
          continue;
        }
        const next = this.readLine(chunk, offset);
        if (next === -1) break;
        offset = next;
        const text = this.takeLine();
        if (this.state === "data-end") {
          if (text !== "")
            throw s3Error("IncompleteBody", "Malformed aws-chunked body: missing CRLF after chunk data.");
          this.state = "size";
        } else if (this.state === "size") {
          const sizeText = text.split(";")[0]?.trim() ?? "";
          if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText))
            throw s3Error("IncompleteBody", "Malformed aws-chunked body: bad chunk size.");
          this.remaining = parseInt(sizeText, 16);
          this.state = this.remaining === 0 ? "trailer" : "data";
        } else if (this.state === "trailer") {
          if (text === "") {
            this.state = "done";
          } else {
            const colon = text.indexOf(":");
            if (colon > 0) this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
          }
        }
      }
      callback();
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override _flush(callback: TransformCallback): void {
    // Some encoders end after the last trailer line without the final empty line.
    const complete = this.state === "done" || (this.state === "trailer" && this.line.length === 0);
    if (!complete) {
      callback(s3Error("IncompleteBody"));
      return;
    }
    if (this.expectedLength !== undefined && this.decoded !== this.expectedLength) {
      callback(
        s3Error(
          "IncompleteBody",
          "You did not provide the number of bytes specified by the x-amz-decoded-content-length header.",
        ),
      );
      return;
    }
    callback();
  }
}
