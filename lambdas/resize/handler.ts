import { configFromEnv } from "../shared/env";
import { s3FromEnv } from "../shared/s3-client";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { resizeSource, type ResizeDeps } from "./resize";

export function createHandler(getDeps: () => ResizeDeps) {
  return taskHandler(
    { state: "Resize", input: validators.fetchedSource, output: validators.thumbnailReady },
    async (input) => resizeSource(input, getDeps()),
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), s3: s3FromEnv() }));
