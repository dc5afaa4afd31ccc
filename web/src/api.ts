/** The page's side of the HTTP contract (docs/http-contract.md): every answer checked, every failure a Problem. */
import {
  isErrorBody,
  isRuntimeConfig,
  isServiceSettings,
  isThumbnailResult,
  isUploadTicket,
  type RuntimeConfig,
  type ServiceSettings,
  type ThumbnailResult,
  type UploadTicket,
} from "./guards";
import { authorizationHeaders, noToken, type TokenSource } from "./auth";
import { parseRetryAfter, ProblemError, type Step } from "./problems";

/** `base` is "" (same origin) or an absolute URL, with or without a trailing slash. */
export function apiUrl(base: string, path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${base.replace(/\/+$/, "")}${path}${query ? `?${query}` : ""}`;
}

async function getJson<T>(url: string, step: Step, guard: (v: unknown) => v is T, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    const headers = new Headers(init.headers);
    headers.set("accept", "application/json");
    res = await fetch(url, { ...init, headers });
  } catch {
    throw new ProblemError({ kind: "network", step });
  }
  const headerId = res.headers.get("x-request-id") ?? undefined;
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch {
    body = undefined;
  }
  if (res.ok && guard(body)) return body;
  if (res.ok) {
    throw new ProblemError({
      kind: "malformed",
      step,
      status: res.status,
      ...(headerId ? { requestId: headerId } : {}),
    });
  }
  const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"));
  const requestId = (isErrorBody(body) ? body.requestId : undefined) ?? headerId;
  throw new ProblemError({
    kind: "api",
    step,
    status: res.status,
    ...(isErrorBody(body) ? { code: body.error.code, message: body.error.message } : {}),
    ...(requestId ? { requestId } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/** The host writes runtime-config.json next to the page, so one build serves every environment. */
export function loadRuntimeConfig(): Promise<RuntimeConfig> {
  return getJson("runtime-config.json", "settings", isRuntimeConfig, { cache: "no-store" });
}

export class ApiClient {
  /** `token` is asked before each request that needs sign-in (auth.ts); /config is public. */
  constructor(
    private readonly base: string,
    private readonly token: TokenSource = noToken,
  ) {}

  private async signedIn(): Promise<RequestInit> {
    return { headers: authorizationHeaders(await this.token()) };
  }

  settings(): Promise<ServiceSettings> {
    return getJson(apiUrl(this.base, "/config"), "settings", isServiceSettings);
  }

  async uploadTicket(contentType: string): Promise<UploadTicket> {
    return getJson(apiUrl(this.base, "/uploadURL", { contentType }), "link", isUploadTicket, await this.signedIn());
  }

  /** `position` goes with fit "cover" only (the service refuses it otherwise). */
  async thumbnail(query: {
    imageName: string;
    res: string;
    format: string;
    fit: string;
    position?: string;
  }): Promise<ThumbnailResult> {
    const { position, ...always } = query;
    const params = position === undefined ? always : { ...always, position };
    return getJson(apiUrl(this.base, "/thumbnail", params), "thumbnail", isThumbnailResult, await this.signedIn());
  }
}
