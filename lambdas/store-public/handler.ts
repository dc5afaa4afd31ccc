import { configFromEnv } from "../shared/env";
import { s3FromEnv } from "../shared/s3-client";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { storePublic, type StorePublicDeps } from "./store-public";

export function createHandler(getDeps: () => StorePublicDeps) {
  return taskHandler(
    { state: "StorePublic", input: validators.thumbnailReady, output: validators.thumbnailReady },
    async (input) => storePublic(input, getDeps()),
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), s3: s3FromEnv() }));
