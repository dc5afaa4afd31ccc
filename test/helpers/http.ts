/** The client side of the HTTP contract, as a browser does it: /uploadURL, the POST, /thumbnail. */
import { strict as assert } from "node:assert";

import type { UploadTicket } from "../../lambdas/presign/presign";

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text: some answers (S3's) are XML
  }
  return { status: res.status, headers: res.headers, body };
}

/** `init` carries what the caller must send, e.g. `{ headers: { authorization: "Bearer ..." } }`. */
export async function uploadTicket(
  appUrl: string,
  contentType = "image/jpeg",
  init?: RequestInit,
): Promise<UploadTicket> {
  const r = await getJson(`${appUrl}/uploadURL?contentType=${encodeURIComponent(contentType)}`, init);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as UploadTicket;
}

/** multipart/form-data: every policy field first, the file last, as S3 requires. */
export async function postUpload(ticket: UploadTicket, body: Buffer, contentType: string): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(body)], { type: contentType }), "upload");
  return fetch(ticket.url, { method: "POST", body: form });
}

export async function uploadImage(
  appUrl: string,
  body: Buffer,
  contentType = "image/jpeg",
  init?: RequestInit,
): Promise<string> {
  const ticket = await uploadTicket(appUrl, contentType, init);
  const res = await postUpload(ticket, body, contentType);
  assert.ok(
    res.status === 204 || res.status === 201 || res.status === 200,
    `upload refused: ${res.status} ${await res.text()}`,
  );
  return ticket.imageName;
}
