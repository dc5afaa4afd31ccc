/**
 * The client side of the workload, as the browser does it: GET /uploadURL then the presigned POST,
 * and GET /thumbnail. Every call reports its status and duration instead of throwing, so the load
 * test can count what the service answered.
 */
import { isThumbnailResult, isUploadTicket } from "../../web/src/guards";

export interface Timed {
  status: number;
  ms: number;
}

export interface UploadOutcome {
  ticket: Timed;
  /** Absent when the ticket was refused. */
  post?: Timed;
  /** Set when the upload was stored. */
  imageName?: string;
}

/** A status for failures below HTTP (connection refused, reset): counted as errors, never as 2xx. */
export const NETWORK_ERROR = 0;

async function timed<T>(work: () => Promise<{ status: number; value?: T }>): Promise<Timed & { value?: T }> {
  const started = performance.now();
  try {
    const { status, value } = await work();
    return { status, ms: performance.now() - started, ...(value !== undefined ? { value } : {}) };
  } catch {
    return { status: NETWORK_ERROR, ms: performance.now() - started };
  }
}

export async function upload(appUrl: string, bytes: Buffer, contentType = "image/jpeg"): Promise<UploadOutcome> {
  const ticket = await timed(async () => {
    const res = await fetch(`${appUrl}/uploadURL?contentType=${encodeURIComponent(contentType)}`);
    const body: unknown = await res.json().catch(() => undefined);
    return { status: res.status, ...(isUploadTicket(body) ? { value: body } : {}) };
  });
  const issued = ticket.value;
  if (ticket.status !== 200 || !issued) return { ticket: { status: ticket.status, ms: ticket.ms } };
  const post = await timed(async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(issued.fields)) form.append(k, v);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), "upload");
    const res = await fetch(issued.url, { method: "POST", body: form });
    await res.arrayBuffer();
    return { status: res.status };
  });
  return {
    ticket: { status: ticket.status, ms: ticket.ms },
    post: { status: post.status, ms: post.ms },
    ...(post.status >= 200 && post.status < 300 ? { imageName: issued.imageName } : {}),
  };
}

export interface ThumbnailOutcome extends Timed {
  cached?: boolean;
}

export async function thumbnail(
  appUrl: string,
  imageName: string,
  res: string,
  format: string,
): Promise<ThumbnailOutcome> {
  const outcome = await timed(async () => {
    const r = await fetch(`${appUrl}/thumbnail?imageName=${imageName}&res=${res}&format=${format}`);
    const body: unknown = await r.json().catch(() => undefined);
    return { status: r.status, ...(isThumbnailResult(body) ? { value: body.cached } : {}) };
  });
  return { status: outcome.status, ms: outcome.ms, ...(outcome.value !== undefined ? { cached: outcome.value } : {}) };
}
