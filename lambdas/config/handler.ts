import { apiHandler } from "../shared/api";
import { configFromEnv } from "../shared/env";
import { ValidationError } from "../shared/errors";
import type { ServiceConfig } from "../shared/types";
import { assertValid } from "../shared/validation";
import * as validators from "../shared/validators";
import { publicConfig } from "./public-config";

export function createHandler(getDeps: () => { config: ServiceConfig }) {
  return apiHandler(
    () => getDeps().config,
    async ({ query }) => {
      assertValid(validators.emptyQuery, query, (d) => new ValidationError(d));
      return { status: 200, body: publicConfig(getDeps().config) };
    },
  );
}

export const handler = createHandler(() => ({ config: configFromEnv() }));
