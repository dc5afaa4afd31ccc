/**
 * The runtime inside one local execution environment, in the role of Lambda's Node.js runtime
 * interface client: it loads the function's bundle (`$LAMBDA_TASK_ROOT/index.js`, exactly what
 * `pulumi up` ships), reports the Init duration, then runs one event at a time as the parent sends
 * them. It is bundled to plain JavaScript and run by node, never through tsx.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { toLambdaErrorPayload } from "../stepfunctions/lambda";
import { isInvokeMessage, type EnvironmentMessage, type InvokeMessage } from "./protocol";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function send(message: EnvironmentMessage): void {
  process.send?.(message);
}

/**
 * This process's own peak RSS (VmHWM). Not getrusage's maxRSS: a child inherits its parent's over
 * fork and exec, so every environment would report the size of the process that started it.
 */
function maxMemoryMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match?.[1] !== undefined) return Math.ceil(Number(match[1]) / 1024);
  } catch {
    // Not Linux: fall back to getrusage, an upper bound.
  }
  return Math.ceil(process.resourceUsage().maxRSS / 1024);
}

function loadHandler(): Handler {
  const root = process.env["LAMBDA_TASK_ROOT"] ?? ".";
  const [file, name] = (process.env["_HANDLER"] ?? "index.handler").split(".");
  // Loaded at run time from the task root, as Lambda's runtime loads the code (never bundled in).
  const mod: unknown = createRequire(__filename)(path.resolve(root, file ?? "index"));
  const handler =
    typeof mod === "object" && mod !== null ? (mod as Record<string, unknown>)[name ?? "handler"] : undefined;
  if (typeof handler !== "function")
    throw Object.assign(new Error(`${name ?? "handler"} is undefined or not exported`), {
      name: "Runtime.HandlerNotFound",
    });
  return handler as Handler;
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    awsRequestId: message.requestId,
    functionName: process.env["AWS_LAMBDA_FUNCTION_NAME"] ?? "",
    functionVersion: "$LATEST",
    memoryLimitInMB: process.env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] ?? "",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const response = await handler(message.event, context);
    // The response crosses a JSON boundary, as it does on Lambda.
    const wire: unknown = JSON.parse(JSON.stringify(response ?? null));
    send({
      type: "result",
      id: message.id,
      durationMs: performance.now() - started,
      maxMemoryMb: maxMemoryMb(),
      ok: true,
      response: wire,
    });
  } catch (thrown) {
    const error = toLambdaErrorPayload(thrown);
    send({
      type: "result",
      id: message.id,
      durationMs: performance.now() - started,
      maxMemoryMb: maxMemoryMb(),
      ok: false,
      error,
    });
  }
}

function main(): void {
  let handler: Handler;
  try {
    handler = loadHandler();
  } catch (thrown) {
    send({ type: "initError", error: toLambdaErrorPayload(thrown), initMs: performance.now() });
    return;
  }
  // performance.now() counts from the process's start: this is the whole Init phase.
  send({ type: "ready", initMs: performance.now() });
  // One event at a time, as one Lambda execution environment runs them.
  let queue = Promise.resolve();
  process.on("message", (message: unknown) => {
    if (!isInvokeMessage(message)) return;
    queue = queue.then(() => invoke(handler, message));
  });
  process.on("disconnect", () => process.exit(0));
}

main();
