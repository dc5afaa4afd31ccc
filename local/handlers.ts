/**
 * The catalog's functions as local mode calls them: Task handlers by state name (for the local
 * engine) and API handlers by route (for the app). In-process, each lambdas/<name>/handler.ts is
 * loaded by its catalog name and built with its createHandler around one shared set of clients;
 * isolated, the local Lambda service invokes each function by name. Nothing here lists a function:
 * a new catalog entry is wired in both modes.
 */
import { createRequire } from "node:module";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { handlerEntry } from "../infra/bundle";
import { API_FUNCTIONS, perTask, type FunctionName, type TaskStateName } from "../infra/catalog";
import type { ServiceConfig } from "../lambdas/shared/types";
import type { HttpApiHandler } from "./app";
import type { LocalLambda } from "./lambda";
import { PROJECT_ROOT } from "./lambda/bundles";
import type { TaskHandler } from "./stepfunctions";

export interface Handlers {
  tasks: Record<TaskStateName, TaskHandler>;
  api: Record<string, HttpApiHandler>;
}

/** What a handler's createHandler may ask for; each takes the part it needs. */
export interface HandlerDeps {
  config: ServiceConfig;
  s3: S3Client;
  sfn: SFNClient;
}

/** Lambda's handler as both callers use it: the engine passes a fuller context than the app. */
type LambdaHandler = (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;
type HandlerFactory = (getDeps: () => HandlerDeps) => unknown;

const load = createRequire(__filename);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * lambdas/<name>/handler.ts, loaded by name, built around getDeps. Every handler.ts exports
 * `createHandler(getDeps)` returning the handler it exports to Lambda; found at run time, that is a
 * contract TypeScript cannot see, so what can be checked is checked here (and by
 * test/infra/catalog.test.ts for every catalog function).
 */
export function inProcessHandler(name: FunctionName, getDeps: () => HandlerDeps): LambdaHandler {
  const mod: unknown = load(handlerEntry(PROJECT_ROOT, name));
  const createHandler = isRecord(mod) ? mod["createHandler"] : undefined;
  if (typeof createHandler !== "function") throw new Error(`lambdas/${name}/handler.ts exports no createHandler`);
  const handler: unknown = (createHandler as HandlerFactory)(getDeps);
  if (typeof handler !== "function") throw new Error(`lambdas/${name}/handler.ts: createHandler returned no function`);
  return handler as LambdaHandler;
}

/** Every handler in this process, sharing one set of clients. */
export function inProcessHandlers(deps: HandlerDeps): Handlers {
  const getDeps = () => deps;
  const api = Object.fromEntries(
    API_FUNCTIONS.map(({ route, name }): [string, HttpApiHandler] => {
      const handler = inProcessHandler(name, getDeps);
      // The API functions answer API Gateway's payload 2.0 results (lambdas/shared/api.ts).
      return [route, async (event, context) => (await handler(event, context)) as APIGatewayProxyStructuredResultV2];
    }),
  );
  return { tasks: perTask((task) => inProcessHandler(task.name, getDeps)), api };
}

/** Every handler behind the local Lambda service. */
export function isolatedHandlers(lambda: LocalLambda): Handlers {
  const api = Object.fromEntries(API_FUNCTIONS.map(({ route, name }) => [route, lambda.apiHandler(name)]));
  return { tasks: perTask((task) => lambda.taskHandler(task.name)), api };
}
