import { configFromEnv } from "../shared/env";
import type { ServiceConfig } from "../shared/types";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { buildResult } from "./return-url";

export function createHandler(getDeps: () => { config: ServiceConfig }) {
  return taskHandler(
    { state: "ReturnUrl", input: validators.thumbnailReady, output: validators.thumbnailResult },
    async (input) => buildResult(input, getDeps().config),
  );
}

export const handler = createHandler(() => ({ config: configFromEnv() }));
