import { configFromEnv } from "../shared/env";
import type { ServiceConfig } from "../shared/types";
import { ValidationError } from "../shared/errors";
import { taskHandler } from "../shared/task";
import * as validators from "../shared/validators";
import { validateRequest } from "./validate";

export function createHandler(getDeps: () => { config: ServiceConfig }) {
  return taskHandler(
    {
      state: "Validate",
      input: validators.thumbnailRequest,
      output: validators.validatedRequest,
      // The execution input may come from anyone allowed to start executions, not only our API.
      badInput: (description) => new ValidationError(description),
    },
    async (input) => validateRequest(input, getDeps().config),
  );
}

export const handler = createHandler(() => ({ config: configFromEnv() }));
