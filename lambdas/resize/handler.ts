import { configFromEnv } from "../shared/env";
import { s3FromEnv } from "../shared/s3-client";
import { S3ObjectStore, type S3TaskDeps } from "../shared/s3-object-store";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { resizeSource } from "./resize";

export function createHandler(getDeps: () => S3TaskDeps) {
  return taskHandler(
    { state: "Resize", input: validators.fetchedSource, output: validators.thumbnailReady },
    async (input) => {
      const { config, s3 } = getDeps();
      return resizeSource(input, { config, store: new S3ObjectStore(s3) });
    },
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), s3: s3FromEnv() }));
