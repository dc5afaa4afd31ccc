/**
 * GET /thumbnail: validates the query before anything else (a bad request starts no execution),
 * then runs the workflow synchronously with the request id as the execution name, so ops can go
 * from a response's x-request-id straight to the execution.
 */
import { StartSyncExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { InternalError, ServiceUnavailable, ValidationError, WorkflowTimeout } from "../shared/errors";
import { cropOf } from "../shared/fit";
import { isTransient } from "../shared/storage-errors";
import type { ServiceConfig, ThumbnailRequest, ThumbnailResult } from "../shared/types";
import { assertValid, describeErrors } from "../shared/validation";
import * as validators from "../shared/validators";
import { checkAllowlists } from "../validate/validate";
import { outcomeToResult } from "./outcome";

export interface ThumbnailApiDeps {
  config: ServiceConfig;
  sfn: SFNClient;
}

/** Time kept back from the function's own timeout to answer 504 before Lambda kills us. */
const DEADLINE_MARGIN_MS = 500;

const POSITION_WITHOUT_COVER =
  "position applies to fit=cover only (it picks the part a crop keeps); add fit=cover or leave position out";

/**
 * A malformed `res` is answered as one outside the allowlist is: with the sizes on offer, so a client
 * can correct it without reading the docs (docs/cases.md, R2). The schema's rule that position comes with
 * fit=cover only fails as a bare if/then (and a const on fit): it is said in words instead.
 */
function queryError(description: string, config: ServiceConfig): ValidationError {
  const errors = validators.thumbnailQuery.errors ?? [];
  const resMalformed = errors.some((e) => e.instancePath === "/res");
  let said = description;
  if (errors.some((e) => e.keyword === "if")) {
    // Only the rule's own errors are replaced; any other problem of the query is still listed.
    const others = errors.filter((e) => e.keyword !== "if" && !e.schemaPath.startsWith("#/then"));
    said = others.length > 0 ? `${describeErrors(others)}; ${POSITION_WITHOUT_COVER}` : POSITION_WITHOUT_COVER;
  }
  return new ValidationError(resMalformed ? `${said}; allowed res: ${config.resolutions.join(", ")}` : said);
}

/**
 * `owner` comes from the authorizer's claims (lambdas/shared/owner.ts), never from the query: the
 * query schema has no such parameter, so a client cannot choose whose upload it asks for.
 */
export function parseThumbnailQuery(
  query: Record<string, string>,
  config: ServiceConfig,
  requestId: string,
  owner?: string,
): ThumbnailRequest {
  const valid = assertValid(validators.thumbnailQuery, query, (d) => queryError(d, config));
  const format = valid.format ?? config.defaultFormat;
  checkAllowlists(valid.res, format, config);
  return {
    requestId,
    imageName: valid.imageName,
    ...(owner !== undefined ? { owner } : {}),
    res: valid.res,
    format,
    ...cropOf(valid.fit, valid.position),
  };
}

export async function requestThumbnail(
  request: ThumbnailRequest,
  remainingMs: number,
  { config, sfn }: ThumbnailApiDeps,
): Promise<ThumbnailResult> {
  if (!config.stateMachineArn) throw new InternalError("STATE_MACHINE_ARN is not set");
  let outcome;
  try {
    outcome = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: config.stateMachineArn,
        name: request.requestId,
        input: JSON.stringify(request),
      }),
      { abortSignal: AbortSignal.timeout(Math.max(1, remainingMs - DEADLINE_MARGIN_MS)) },
    );
  } catch (err) {
    if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) {
      throw new WorkflowTimeout({ cause: err });
    }
    if (isTransient(err)) {
      throw ServiceUnavailable.dependency({ cause: err });
    }
    throw new InternalError("StartSyncExecution failed", { cause: err });
  }
  return outcomeToResult(outcome);
}
