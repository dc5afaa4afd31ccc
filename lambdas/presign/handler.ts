import { apiHandler } from "../shared/api";
import { configFromEnv } from "../shared/env";
import { ValidationError } from "../shared/errors";
import { s3FromEnv } from "../shared/s3-client";
import { assertValid } from "../shared/validation";
import * as validators from "../shared/validators";
import { createUpload, type PresignDeps } from "./presign";

export function createHandler(getDeps: () => PresignDeps) {
  return apiHandler(
    () => getDeps().config,
    async ({ query, owner }) => {
      const valid = assertValid(validators.uploadQuery, query, (d) => new ValidationError(d));
      return { status: 200, body: await createUpload(valid, getDeps(), owner) };
    },
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), s3: s3FromEnv() }));
