/**
 * Everything that can go wrong, as data: what happened (a Problem) and how the page says it in plain
 * words (a Notice). Kept free of the DOM so it is unit-tested in Node.
 */
import type { ErrorCode } from "../../lambdas/shared/errors";
import { formatBytes } from "./format";

export type Step = "settings" | "link" | "upload" | "thumbnail";

export type Problem =
  /** The API answered with an error status (contract body or not). */
  | {
      kind: "api";
      step: Step;
      status: number;
      code?: string;
      message?: string;
      requestId?: string;
      retryAfterSeconds?: number;
    }
  /** S3 refused the upload (its own XML error). */
  | { kind: "storage"; status: number; code?: string; message?: string; requestId?: string }
  /** No answer at all: offline, DNS, CORS, connection reset. */
  | { kind: "network"; step: Step }
  /** An answer of the wrong shape: a proxy page, a half-deployed API. */
  | { kind: "malformed"; step: Step; status: number; requestId?: string };

export interface Notice {
  title: string;
  advice: string;
  /** The server's own message, shown as it came. */
  serverMessage?: string;
  /** Who sent serverMessage: the API or the storage the file was posted to. */
  from?: "service" | "storage";
  code?: string;
  status?: number;
  requestId?: string;
}

export interface NoticeContext {
  /** "JPEG, PNG, WebP, GIF or AVIF" */
  acceptedTypes: string;
  maxUploadBytes: number;
}

interface Explanation {
  title: string;
  advice: (p: { retryAfterSeconds?: number }, ctx: NoticeContext) => string;
}

const again = (seconds: number | undefined): string =>
  seconds !== undefined && seconds > 0
    ? `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`
    : "Try again in a moment.";

/** One entry per error code of the contract; the compiler insists none is missing. */
export const API_EXPLANATIONS: Record<ErrorCode, Explanation> = {
  ValidationError: {
    title: "The service didn't accept the request",
    advice: () =>
      "One of the choices sent isn't allowed (any more). Reload the page to get the current options, then try again.",
  },
  ImageNotFound: {
    title: "The uploaded image can't be found",
    advice: () => "It may have been removed, or its upload never finished. Upload the image again.",
  },
  SourceChanged: {
    title: "The image changed while its thumbnail was being made",
    advice: () => "The upload was replaced mid-way, so the result was discarded. Select Generate Thumbnail again.",
  },
  UnsupportedImageType: {
    title: "This file isn't an image the service can read",
    advice: (_p, ctx) =>
      `Whatever its name or type says, its contents aren't ${ctx.acceptedTypes}. Choose a different file.`,
  },
  ImageTooLarge: {
    title: "The image is too large to process",
    advice: () => "Its file size or its width × height is over the service's limit. Try a smaller image.",
  },
  CorruptImage: {
    title: "The image appears to be damaged",
    advice: () => "It couldn't be decoded; the file may be cut short or corrupt. Try saving or exporting it again.",
  },
  ServiceUnavailable: {
    title: "The service is busy right now",
    advice: (p) => `Nothing is wrong with your image. ${again(p.retryAfterSeconds)}`,
  },
  WorkflowTimeout: {
    title: "Making the thumbnail took too long",
    advice: () => "The service stopped waiting. Try again; a smaller image is quicker.",
  },
  InternalError: {
    title: "Something went wrong on our side",
    advice: () =>
      "It isn't caused by your image. Try again later; if it keeps happening, send the request id to support.",
  },
};

function isKnownCode(code: string | undefined): code is ErrorCode {
  return code !== undefined && Object.prototype.hasOwnProperty.call(API_EXPLANATIONS, code);
}

const STEP_WORDS: Record<Step, string> = {
  settings: "load its settings",
  link: "get an upload link",
  upload: "upload the image",
  thumbnail: "make the thumbnail",
};

/** What sign-in is needed for, by step, for the 401 explanation. */
const SIGN_IN_WORDS: Record<Step, string> = {
  settings: "use this service",
  link: "upload images",
  upload: "upload images",
  thumbnail: "make thumbnails",
};

/**
 * API Gateway's JWT authorizer answers 401 `{"message":"Unauthorized"}` for a missing, expired or
 * otherwise unacceptable token; the page cannot tell which, so it says what the user can do.
 */
export function signInNotice(step: Step): Pick<Notice, "title" | "advice"> {
  return {
    title: `Sign in to ${SIGN_IN_WORDS[step]}`,
    advice:
      "The service only works for signed-in users, and this request had no valid sign-in: you aren't signed in, or your sign-in has expired. Sign in (again), then try once more.",
  };
}

/** For answers without a code we know: the status alone (API Gateway's own 401/429/5xx bodies, etc.). */
function byStatus(status: number, step: Step, retryAfterSeconds?: number): Pick<Notice, "title" | "advice"> {
  if (status === 401) return signInNotice(step);
  if (status === 429) return { title: "Too many requests right now", advice: again(retryAfterSeconds) };
  if (status === 503) return { title: "The service is busy right now", advice: again(retryAfterSeconds) };
  if (status >= 500) {
    return {
      title: `The service couldn't ${STEP_WORDS[step]}`,
      advice: "It had a problem of its own. Try again in a moment.",
    };
  }
  return { title: `The service refused to ${STEP_WORDS[step]}`, advice: "Reload the page and try again." };
}

function storageNotice(p: Extract<Problem, { kind: "storage" }>, ctx: NoticeContext): Pick<Notice, "title" | "advice"> {
  switch (p.code) {
    case "EntityTooLarge":
      return {
        title: "The file is too large to upload",
        advice: `Storage accepts at most ${formatBytes(ctx.maxUploadBytes)} per image. Choose a smaller image.`,
      };
    case "EntityTooSmall":
      return { title: "The file is empty", advice: "Storage refused an upload with no content. Choose another image." };
    case "AccessDenied":
      return /expired/i.test(p.message ?? "")
        ? {
            title: "The upload link expired",
            advice: "Upload links last a few minutes. Select Upload image again for a fresh one.",
          }
        : {
            title: "Storage refused the upload",
            advice:
              "The file didn't match what the upload link allows (its name, type or size). Try again; if it keeps happening, reload the page.",
          };
    case "SignatureDoesNotMatch":
      return {
        title: "The upload link wasn't accepted",
        advice:
          "Storage couldn't verify the link's signature. Try again for a fresh link; if it keeps happening, contact support.",
      };
    default:
      return {
        title: `Storage refused the upload (HTTP ${p.status})`,
        advice: "Try again in a moment; if it keeps happening, reload the page.",
      };
  }
}

export function explain(p: Problem, ctx: NoticeContext): Notice {
  switch (p.kind) {
    case "network":
      return {
        title: `Couldn't reach the service to ${STEP_WORDS[p.step]}`,
        advice: "Check your connection and try again.",
      };
    case "malformed":
      return {
        title: `The service sent an unexpected answer while trying to ${STEP_WORDS[p.step]}`,
        advice: "Try again in a moment; if it keeps happening, send the request id to support.",
        status: p.status,
        ...(p.requestId ? { requestId: p.requestId } : {}),
      };
    case "storage":
      return {
        ...storageNotice(p, ctx),
        from: "storage",
        status: p.status,
        ...(p.code ? { code: p.code } : {}),
        ...(p.message ? { serverMessage: p.message } : {}),
        ...(p.requestId ? { requestId: p.requestId } : {}),
      };
    case "api": {
      const base = isKnownCode(p.code)
        ? { title: API_EXPLANATIONS[p.code].title, advice: API_EXPLANATIONS[p.code].advice(p, ctx) }
        : byStatus(p.status, p.step, p.retryAfterSeconds);
      return {
        ...base,
        from: "service",
        status: p.status,
        ...(p.code ? { code: p.code } : {}),
        ...(p.message ? { serverMessage: p.message } : {}),
        ...(p.requestId ? { requestId: p.requestId } : {}),
      };
    }
  }
}

/** A thrown Problem, so async code can fail with one and the page can catch it. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  constructor(readonly problem: Problem) {
    super(problem.kind);
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!m || m[1] === undefined) return undefined;
  return m[1].replace(/&(amp|lt|gt|quot|apos);/g, (_all, name: string) => XML_ENTITIES[name] ?? "").trim();
}

/** S3's `<Error><Code/><Message/><RequestId/></Error>`; a regex, not DOMParser, so it runs in Node tests too. */
export function parseS3Error(body: string): { code?: string; message?: string; requestId?: string } {
  if (!/<Error>/.test(body)) return {};
  const code = xmlText(body, "Code");
  const message = xmlText(body, "Message");
  const requestId = xmlText(body, "RequestId");
  return {
    ...(code ? { code } : {}),
    ...(message ? { message } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
