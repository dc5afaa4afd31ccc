import { apiHandler } from "../shared/api";
import { configFromEnv } from "../shared/env";
import { sfnFromEnv } from "../shared/sfn-client";
import { parseThumbnailQuery, requestThumbnail, type ThumbnailApiDeps } from "./thumbnail";

export function createHandler(getDeps: () => ThumbnailApiDeps) {
  return apiHandler(
    () => getDeps().config,
    async ({ query, requestId, owner, remainingMs }) => {
      const deps = getDeps();
      const request = parseThumbnailQuery(query, deps.config, requestId, owner);
      return { status: 200, body: await requestThumbnail(request, remainingMs(), deps) };
    },
  );
}

export const handler = createHandler(() => ({ config: configFromEnv(), sfn: sfnFromEnv() }));
