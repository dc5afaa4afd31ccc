import { configFromEnv } from "../shared/env";
import { s3FromEnv } from "../shared/s3-client";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { fetchSource, type FetchDeps } from "./fetch";

export function createHandler(getDeps: () => FetchDeps) {
  return taskHandler(
    { state: "Fetch", input: validators.validatedRequest, output: validators.fetchedSource },
    async (input) => fetchSource(input, getDeps()),
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), s3: s3FromEnv() }));
