/**
 * The catalog: every function of the service, once. A function is a folder lambdas/<name>/ with a
 * handler.ts; it is either a Task of the workflow (its state in statemachine/thumbnail.asl.json) or
 * the function behind an HTTP API route. Everything that lists functions, states or routes derives
 * from CATALOG: the bundles, each function's Lambda, role and alarms, the state machine's ARNs and
 * its role, the API's routes and authorizer, local mode's wiring (in-process and isolated), and the
 * tests' lists of Tasks.
 *
 * Adding a Task: its folder (handler.ts exporting `handler` and `createHandler`), one entry below,
 * and its Task state in the ASL (Resource `${<State>FunctionArn}`, TimeoutSeconds, the Retry and
 * Catch every Task has). test/infra/catalog.test.ts fails while the three disagree.
 *
 * Why in infra/: it says what gets deployed, and infra/ already holds the Pulumi-free modules that
 * local mode shares with the program (bundle.ts, policies.ts, stack-config.ts). It imports no Pulumi,
 * so local mode, the tests and bench load it as they are; and no Lambda imports infra/ (checked by
 * the same test), so it never ends up in a bundle.
 */
import { API_FUNCTION_TIMEOUT_SECONDS } from "../lambdas/shared/budget";
import { placeholderOf } from "../statemachine/definition";

/** The service's two buckets: uploads go to source, thumbnails (staged, then published) to thumbnails. */
export type Bucket = "source" | "thumbnails";

/** Objects under a prefix of a bucket. */
export interface Place {
  bucket: Bucket;
  prefix: string;
}

const UPLOADS = { bucket: "source", prefix: "uploads/" } as const satisfies Place;
const STAGING = { bucket: "thumbnails", prefix: "staging/" } as const satisfies Place;
const PUBLISHED = { bucket: "thumbnails", prefix: "thumbnails/" } as const satisfies Place;

/** One statement of a function's role, named by its Sid (infra/policies.ts renders it). */
export type Grant =
  /** s3:GetObject on the objects under these places. */
  | { sid: string; does: "read"; on: readonly Place[] }
  /** s3:PutObject on the objects under these places. */
  | { sid: string; does: "write"; on: readonly Place[] }
  /** s3:ListBucket limited to these prefixes: a read of a missing key then answers 404, not 403. */
  | { sid: string; does: "list"; bucket: Bucket; prefixes: readonly string[] }
  /** states:StartSyncExecution on the service's state machine; the function also gets its ARN. */
  | { sid: string; does: "run-workflow" };

interface EntryBase {
  /** The folder under lambdas/, and the function's name in every resource name. */
  name: string;
  /** "small": the stack's memoryMb; "resize": its resizeMemoryMb (infra/README.md says why). */
  memory: "small" | "resize";
  /** What its role may do beyond writing its own logs and traces. */
  access: readonly Grant[];
  /** Packages left out of its bundle and shipped beside it as node_modules (native code). */
  nativePackages?: readonly string[];
}

export interface TaskEntry extends EntryBase {
  kind: "task";
  /**
   * Its Task state. The state's Resource is placeholderOf(state), and the function's timeout is the
   * state's TimeoutSeconds plus a margin (infra/timeouts.ts).
   */
  state: string;
  /**
   * It throws typed client errors (ImageNotFound, UnsupportedImageType, ...), which Lambda counts as
   * errors too: only a burst of them alarms (infra/monitoring.ts). Otherwise one error is a bug.
   */
  clientErrors: boolean;
}

export interface ApiEntry extends EntryBase {
  kind: "api";
  /** Its HTTP API route key. */
  route: `${"GET" | "POST" | "PUT" | "DELETE"} /${string}`;
  /** Guarded by the JWT authorizer when the stack sets jwtIssuer/jwtAudience (and by local/auth/). */
  authorized: boolean;
  timeoutSeconds: number;
}

/** presign and config only sign or echo; 5 s covers a cold start with room to spare. */
const LIGHT_API_TIMEOUT_SECONDS = 5;

export const CATALOG = [
  {
    name: "presign",
    kind: "api",
    route: "GET /uploadURL",
    authorized: true,
    timeoutSeconds: LIGHT_API_TIMEOUT_SECONDS,
    memory: "small",
    // The browser's POST is signed with this role's credentials: it may write uploads/ and nothing else.
    access: [{ sid: "SignUploads", does: "write", on: [UPLOADS] }],
  },
  {
    name: "config",
    kind: "api",
    route: "GET /config",
    // The page needs it before anyone signs in.
    authorized: false,
    timeoutSeconds: LIGHT_API_TIMEOUT_SECONDS,
    memory: "small",
    access: [],
  },
  {
    name: "thumbnail",
    kind: "api",
    route: "GET /thumbnail",
    authorized: true,
    // Below the integration timeout, so the function answers (504 WorkflowTimeout) before API Gateway gives up.
    timeoutSeconds: API_FUNCTION_TIMEOUT_SECONDS,
    memory: "small",
    access: [{ sid: "RunWorkflow", does: "run-workflow" }],
  },
  { name: "validate", kind: "task", state: "Validate", clientErrors: true, memory: "small", access: [] },
  {
    name: "fetch",
    kind: "task",
    state: "Fetch",
    clientErrors: true,
    memory: "small",
    access: [
      { sid: "ReadSourcesAndThumbnails", does: "read", on: [UPLOADS, PUBLISHED] },
      { sid: "KnowMissingSources", does: "list", bucket: "source", prefixes: ["uploads/"] },
      { sid: "KnowMissingThumbnails", does: "list", bucket: "thumbnails", prefixes: ["thumbnails/"] },
    ],
  },
  {
    name: "resize",
    kind: "task",
    state: "Resize",
    clientErrors: true,
    memory: "resize",
    nativePackages: ["sharp"],
    access: [
      { sid: "ReadSources", does: "read", on: [UPLOADS] },
      { sid: "KnowMissingSources", does: "list", bucket: "source", prefixes: ["uploads/"] },
      { sid: "WriteStaging", does: "write", on: [STAGING] },
    ],
  },
  {
    name: "store-public",
    kind: "task",
    state: "StorePublic",
    clientErrors: true,
    memory: "small",
    access: [
      { sid: "ReadStagedAndPublished", does: "read", on: [STAGING, PUBLISHED] },
      { sid: "Publish", does: "write", on: [PUBLISHED] },
      { sid: "KnowMissingThumbnails", does: "list", bucket: "thumbnails", prefixes: ["staging/", "thumbnails/"] },
    ],
  },
  { name: "return-url", kind: "task", state: "ReturnUrl", clientErrors: false, memory: "small", access: [] },
] as const satisfies readonly (TaskEntry | ApiEntry)[];

export type CatalogEntry = (typeof CATALOG)[number];
export type FunctionName = CatalogEntry["name"];
export type TaskFunction = Extract<CatalogEntry, { kind: "task" }>;
export type ApiFunction = Extract<CatalogEntry, { kind: "api" }>;
export type TaskStateName = TaskFunction["state"];
export type TaskFunctionName = TaskFunction["name"];
export type RouteKey = ApiFunction["route"];

const isTask = (entry: CatalogEntry): entry is TaskFunction => entry.kind === "task";
const isApi = (entry: CatalogEntry): entry is ApiFunction => entry.kind === "api";

/** One bundle and one Lambda per name, built from lambdas/<name>/handler.ts. */
export const FUNCTION_NAMES: readonly FunctionName[] = CATALOG.map((entry) => entry.name);
/** The workflow's Tasks, in the catalog's order. */
export const TASKS: readonly TaskFunction[] = CATALOG.filter(isTask);
export const TASK_STATES: readonly TaskStateName[] = TASKS.map((task) => task.state);
/** The HTTP API's functions, each behind its route. */
export const API_FUNCTIONS: readonly ApiFunction[] = CATALOG.filter(isApi);

/** One value per function, in the catalog's order. */
export function perFunction<V>(value: (name: FunctionName) => V): Record<FunctionName, V> {
  // fromEntries types its keys as string; every name is set here, so the record is complete.
  return Object.fromEntries(FUNCTION_NAMES.map((name) => [name, value(name)])) as Record<FunctionName, V>;
}

/** One value per Task state, in the catalog's order. */
export function perTask<V>(value: (task: TaskFunction) => V): Record<TaskStateName, V> {
  return Object.fromEntries(TASKS.map((task) => [task.state, value(task)])) as Record<TaskStateName, V>;
}

export function entryOf(name: FunctionName): CatalogEntry {
  const entry = CATALOG.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`${name} is not in the catalog`);
  return entry;
}

/** The Task state a task function runs; throws for an API function. */
export function taskStateOf(name: FunctionName): TaskStateName {
  const entry = entryOf(name);
  if (entry.kind !== "task") throw new Error(`${name} is not a task function`);
  return entry.state;
}

/** The function behind each Task state. */
export const TASK_FUNCTIONS: Record<TaskStateName, TaskFunctionName> = perTask((task) => task.name);

/** Each Task state's ARN placeholder in the ASL. */
export const TASK_PLACEHOLDERS: Record<TaskStateName, string> = perTask((task) => placeholderOf(task.state));

/**
 * The routes that need a token when the stack sets jwtIssuer/jwtAudience (the local app applies the
 * same list).
 */
export const AUTHORIZED_ROUTES: readonly RouteKey[] = API_FUNCTIONS.filter((fn) => fn.authorized).map((fn) => fn.route);

/** Its role's statements beyond its logs and traces. */
export const grantsOf = (name: FunctionName): readonly Grant[] => entryOf(name).access;

/** It starts workflow executions, so it needs the state machine's ARN (in its policy and environment). */
export const runsWorkflow = (name: FunctionName): boolean =>
  grantsOf(name).some((grant) => grant.does === "run-workflow");

export function functionMemoryMb(name: FunctionName, sizes: { memoryMb: number; resizeMemoryMb: number }): number {
  return entryOf(name).memory === "resize" ? sizes.resizeMemoryMb : sizes.memoryMb;
}
