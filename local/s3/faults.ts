/**
 * Fault injection for tests (local tooling only): matching requests get S3's XML error instead of
 * reaching storage, optionally held on a test's hook first, so tests can drive retries and 503s, and
 * order what happens while a request is waiting for its answer.
 */

export interface FaultSpec {
  /** HTTP method to match (any if omitted). */
  method?: string;
  bucket?: string;
  /** Matches requests whose object key starts with this (requests without a key never match). */
  keyPrefix?: string;
  /** Status to answer, e.g. 503. */
  status: number;
  /** S3 error code in the body, e.g. "ServiceUnavailable" or "SlowDown"; derived from `status` if omitted. */
  code?: string;
  message?: string;
  /** How many matching requests fail; every one if omitted. */
  times?: number;
  /** Awaited before answering: a test holds the answer on a promise it settles once its step is done. */
  before?: () => unknown;
}

export interface FaultHandle {
  /** How many requests this fault has answered so far. */
  readonly hits: number;
  remove(): void;
}

export interface FaultHit {
  method: string;
  bucket?: string;
  key?: string;
  status: number;
  code: string;
}

export interface FaultInjector {
  add(spec: FaultSpec): FaultHandle;
  clear(): void;
  /** Total requests answered by faults since start (or the last `clear()`). */
  readonly hits: number;
  /** Every request a fault answered, oldest first. */
  readonly log: readonly FaultHit[];
}

export interface RequestDescription {
  method: string;
  bucket?: string;
  key?: string;
}

export interface FaultDecision {
  status: number;
  code: string;
  message: string;
  before?: () => unknown;
}

const DEFAULT_CODE: Record<number, string> = {
  400: "BadRequest",
  403: "AccessDenied",
  404: "NoSuchKey",
  409: "OperationAborted",
  412: "PreconditionFailed",
  500: "InternalError",
  501: "NotImplemented",
  503: "ServiceUnavailable",
};

interface ActiveFault {
  spec: FaultSpec;
  hits: number;
}

export class Faults implements FaultInjector {
  private active: ActiveFault[] = [];
  private readonly hitLog: FaultHit[] = [];

  get hits(): number {
    return this.hitLog.length;
  }

  get log(): readonly FaultHit[] {
    return this.hitLog;
  }

  add(spec: FaultSpec): FaultHandle {
    if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
      throw new RangeError(`fault status must be an HTTP status, got ${spec.status}`);
    }
    const fault: ActiveFault = { spec, hits: 0 };
    this.active.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      remove: () => {
        this.active = this.active.filter((f) => f !== fault);
      },
    };
  }

  clear(): void {
    this.active = [];
    this.hitLog.length = 0;
  }

  /** The fault that answers this request, if any; counts the hit. */
  take(request: RequestDescription): FaultDecision | undefined {
    const fault = this.active.find(
      (f) => matches(f.spec, request) && (f.spec.times === undefined || f.hits < f.spec.times),
    );
    if (!fault) return undefined;
    fault.hits++;
    if (fault.spec.times !== undefined && fault.hits >= fault.spec.times) {
      this.active = this.active.filter((f) => f !== fault);
    }
    const { status } = fault.spec;
    const code = fault.spec.code ?? DEFAULT_CODE[status] ?? (status >= 500 ? "InternalError" : "BadRequest");
    this.hitLog.push({ method: request.method, bucket: request.bucket, key: request.key, status, code });
    return {
      status,
      code,
      message: fault.spec.message ?? `Injected fault: ${code}`,
      ...(fault.spec.before ? { before: fault.spec.before } : {}),
    };
  }
}

function matches(spec: FaultSpec, r: RequestDescription): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== r.method.toUpperCase()) return false;
  if (spec.bucket !== undefined && spec.bucket !== r.bucket) return false;
  if (spec.keyPrefix !== undefined && (r.key === undefined || !r.key.startsWith(spec.keyPrefix))) return false;
  return true;
}
