/**
 * Browser-based POST uploads, checked as S3 checks them before a byte is stored: the SigV4
 * signature over the base64 policy, the expiry, every condition, and that every form field is
 * covered by a condition. Pure functions: the streaming handler (post-upload.ts) feeds them the
 * fields that precede `file` and enforces the returned size range while the file arrives.
 */
import { s3Error, unsupportedAuthMechanism } from "./s3-error";
import { checkCredential, parseAmzDate, signString, signaturesEqual, type SigningIdentity } from "./sigv4";

export interface FormField {
  /** The name as sent (S3 matches names case-insensitively; the map key is lower case). */
  name: string;
  value: string;
}

/** Fields preceding `file`, keyed by lower-case name. */
export type FormFields = ReadonlyMap<string, FormField>;

export type PolicyCondition =
  | { kind: "eq" | "starts-with"; field: string; value: string; text: string }
  | { kind: "content-length-range"; min: number; max: number };

export interface PostPolicy {
  expiration: Date;
  conditions: PolicyCondition[];
}

/** What a verified form may upload. */
export interface PostGrant {
  key: string;
  minBytes: number;
  maxBytes: number;
}

// S3's hard ceiling for a POST upload (5 GB) applies when the policy names no range.
export const POST_MAX_BYTES = 5 * 1024 * 1024 * 1024;

// Fields S3 never requires a condition for.
const EXEMPT_FIELDS = new Set(["policy", "x-amz-signature", "file"]);

const denied = (why: string) => s3Error("AccessDenied", `Invalid according to Policy: ${why}`);
const invalidPolicy = (why: string) => s3Error("InvalidPolicyDocument", `Invalid Policy: ${why}`);

function describe(op: string, name: string, value: string): string {
  return `[${JSON.stringify(op)}, ${JSON.stringify(name)}, ${JSON.stringify(value)}]`;
}

function toCount(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^[0-9]{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function parseCondition(raw: unknown): PolicyCondition {
  if (Array.isArray(raw)) {
    const [op, a, b] = raw;
    if (raw.length !== 3 || typeof op !== "string") throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
    const kind = op.toLowerCase();
    if (kind === "content-length-range") {
      const min = toCount(a);
      const max = toCount(b);
      if (min === undefined || max === undefined || min > max) {
        throw invalidPolicy(`Invalid content-length-range: ${JSON.stringify(raw)}`);
      }
      return { kind, min, max };
    }
    if (
      (kind === "eq" || kind === "starts-with") &&
      typeof a === "string" &&
      a.startsWith("$") &&
      typeof b === "string"
    ) {
      return { kind, field: a.slice(1).toLowerCase(), value: b, text: describe(op, a, b) };
    }
    throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  }
  if (typeof raw === "object" && raw !== null) {
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length === 1 && entry && typeof entry[1] === "string") {
      return {
        kind: "eq",
        field: entry[0].toLowerCase(),
        value: entry[1],
        text: describe("eq", `$${entry[0]}`, entry[1]),
      };
    }
  }
  throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
}

/** Decodes the base64 policy document into its expiry and conditions. */
export function parsePolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  } catch {
    throw invalidPolicy("Invalid JSON.");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw invalidPolicy("Invalid JSON.");
  const expirationText: unknown = Reflect.get(doc, "expiration");
  const conditions: unknown = Reflect.get(doc, "conditions");
  if (typeof expirationText !== "string") throw invalidPolicy("Policy missing expiration.");
  const expiration = new Date(expirationText);
  if (Number.isNaN(expiration.getTime())) throw invalidPolicy(`Invalid 'expiration' value: '${expirationText}'`);
  if (!Array.isArray(conditions)) throw invalidPolicy("Policy missing conditions.");
  return { expiration, conditions: conditions.map(parseCondition) };
}

/**
 * Checks the SigV4 fields and the signature over the policy. Returns the decoded policy.
 * Order as S3: missing policy/signature, credential (access key, region), signature.
 */
export async function authenticatePost(fields: FormFields, identity: SigningIdentity): Promise<PostPolicy> {
  const get = (name: string) => fields.get(name)?.value;
  if (fields.has("awsaccesskeyid") || fields.has("signature")) {
    throw unsupportedAuthMechanism();
  }
  const policy = get("policy");
  const signature = get("x-amz-signature");
  if (policy === undefined || policy === "" || signature === undefined) throw s3Error("AccessDenied");
  const algorithm = get("x-amz-algorithm");
  const credentialValue = get("x-amz-credential");
  const amzDate = get("x-amz-date");
  if (algorithm !== "AWS4-HMAC-SHA256" || credentialValue === undefined || amzDate === undefined) {
    throw s3Error(
      "InvalidArgument",
      "Bucket POST with SigV4 must contain the fields X-Amz-Algorithm (AWS4-HMAC-SHA256), X-Amz-Credential and X-Amz-Date.",
    );
  }
  const credential = checkCredential(
    credentialValue,
    identity,
    "AuthorizationQueryParametersError",
    "Error parsing the X-Amz-Credential parameter;",
  );
  if (!parseAmzDate(amzDate)) throw s3Error("InvalidArgument", "X-Amz-Date must be in the ISO8601 Long Format");
  const expected = await signString(identity, credential.shortDate, policy);
  if (!signaturesEqual(expected, signature)) {
    throw s3Error("SignatureDoesNotMatch", undefined, { AWSAccessKeyId: credential.accessKeyId });
  }
  return parsePolicy(policy);
}

/**
 * Checks expiry, every condition and the coverage of every field. `bucket` is the bucket of the URL.
 * Returns the key and the byte range the file must fall in.
 */
export function checkPolicy(policy: PostPolicy, fields: FormFields, bucket: string, now: Date): PostGrant {
  if (now.getTime() > policy.expiration.getTime()) throw denied("Policy expired.");
  const key = fields.get("key")?.value;
  if (key === undefined) {
    throw s3Error(
      "InvalidArgument",
      "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      {
        ArgumentName: "key",
        ArgumentValue: "",
      },
    );
  }
  if (key === "")
    throw s3Error("InvalidArgument", "User key must have a length greater than 0.", { ArgumentName: "key" });
  let minBytes = 0;
  let maxBytes = POST_MAX_BYTES;
  const covered = new Set<string>();
  for (const c of policy.conditions) {
    if (c.kind === "content-length-range") {
      minBytes = Math.max(minBytes, c.min);
      maxBytes = Math.min(maxBytes, c.max);
      continue;
    }
    covered.add(c.field);
    const values: string[] = [];
    if (c.field === "bucket") values.push(bucket);
    const field = fields.get(c.field);
    if (field) values.push(field.value);
    const holds = values.length > 0 && values.every((v) => (c.kind === "eq" ? v === c.value : v.startsWith(c.value)));
    if (!holds) throw denied(`Policy Condition failed: ${c.text}`);
  }
  for (const [name, field] of fields) {
    if (EXEMPT_FIELDS.has(name) || name.startsWith("x-ignore-") || covered.has(name)) continue;
    throw denied(`Extra input fields: ${field.name}`);
  }
  return { key, minBytes, maxBytes };
}
