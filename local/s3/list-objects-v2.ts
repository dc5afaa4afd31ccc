/**
 * ListObjectsV2 through s3rver's V1 listing. s3rver 3.7 builds V2 continuation tokens with the DES
 * cipher, which OpenSSL 3 (Node 17+) no longer offers, so every truncated V2 listing is a 500. The
 * gate asks s3rver for the V1 listing (marker = start after) and rewrites the small XML answer into
 * V2's shape with an opaque token of its own; SDK paginators then work as against S3.
 */
import { escapeXml, s3Error } from "./s3-error";
import { queryValue, type RequestTarget } from "./request-target";

const TOKEN_PREFIX = "v2:";
// Parameters the gate translates (or that s3rver must not see).
const TRANSLATED = new Set(["list-type", "continuation-token", "start-after", "fetch-owner", "marker"]);

export function isListObjectsV2(method: string, target: RequestTarget): boolean {
  return (
    method === "GET" &&
    target.bucket !== undefined &&
    target.key === undefined &&
    queryValue(target, "list-type") === "2"
  );
}

function encodeToken(key: string): string {
  return Buffer.from(TOKEN_PREFIX + key, "utf8").toString("base64url");
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, "base64url").toString("utf8");
  if (!text.startsWith(TOKEN_PREFIX)) {
    throw s3Error("InvalidArgument", "The continuation token provided is incorrect", {
      ArgumentName: "continuation-token",
    });
  }
  return text.slice(TOKEN_PREFIX.length);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-fA-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export interface ListV2Plan {
  /** The V1 query for s3rver (no leading "?"). */
  backendQuery: string;
  /** Turns s3rver's V1 XML into the V2 answer. */
  rewrite: (xml: string) => string;
}

/** Plans the V1 request behind a V2 listing; `passThrough` filters out parameters the gate consumed (auth). */
export function planListObjectsV2(target: RequestTarget, passThrough: (name: string) => boolean): ListV2Plan {
  const params = new URLSearchParams();
  for (const { name, value } of target.query) {
    if (!TRANSLATED.has(name) && passThrough(name)) params.append(name, value);
  }
  if (queryValue(target, "marker") !== undefined) {
    throw s3Error("InvalidArgument", "Marker unsupported with REST.GET.BUCKET in list-type=2", {
      ArgumentName: "marker",
    });
  }
  const token = queryValue(target, "continuation-token");
  const startAfter = queryValue(target, "start-after");
  const after = token !== undefined ? decodeToken(token) : startAfter;
  if (after !== undefined && after !== "") params.set("marker", after);
  const fetchOwner = queryValue(target, "fetch-owner") === "true";

  const rewrite = (xml: string): string => {
    const keys = [...xml.matchAll(/<Contents><Key>([^<]*)<\/Key>/g)].map((m) => m[1] ?? "");
    const prefixes = [...xml.matchAll(/<CommonPrefixes><Prefix>/g)].length;
    const truncated = xml.includes("<IsTruncated>true</IsTruncated>");
    const last = keys.at(-1);
    let body = xml.replace(/<Marker>[^<]*<\/Marker>/, "").replace(/<NextMarker>[^<]*<\/NextMarker>/, "");
    if (!fetchOwner) body = body.replace(/<Owner>.*?<\/Owner>/g, "");
    const extra =
      (token === undefined && startAfter !== undefined ? `<StartAfter>${escapeXml(startAfter)}</StartAfter>` : "") +
      (token !== undefined ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : "") +
      (truncated && last !== undefined
        ? `<NextContinuationToken>${encodeToken(unescapeXml(last))}</NextContinuationToken>`
        : "") +
      `<KeyCount>${keys.length + prefixes}</KeyCount>`;
    // The first </Prefix> closes the listing's own Prefix (it precedes Contents and CommonPrefixes).
    return body.replace("</Prefix>", `</Prefix>${extra}`);
  };
  return { backendQuery: params.toString(), rewrite };
}
