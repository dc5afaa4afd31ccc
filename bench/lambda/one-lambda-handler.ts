/**
 * The one-Lambda design as a deployable handler: behind the HTTP API, one function GETs the upload,
 * makes the thumbnail and PUTs it (bench/variants.ts oneLambda, the same code the latency phase's
 * variant (b) runs in-process). The bench bundles it with resize's build options (sharp outside
 * the bundle) and runs it in an execution environment of its own at resize's memory, so its Init
 * and Duration are measured at Lambda's CPU share as the service's functions are. It has no cache:
 * every request makes its thumbnail, as the design it stands for did.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { configFromEnv } from "../../lambdas/shared/env";
import { s3FromEnv } from "../../lambdas/shared/s3-client";
import { oneLambda, thumbnailOptions } from "../variants";

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const query = new URLSearchParams(event.rawQueryString ?? "");
  const imageName = query.get("imageName");
  const res = query.get("res");
  const config = configFromEnv();
  const format = config.formats.find((f) => f === query.get("format")) ?? config.defaultFormat;
  if (imageName === null || res === null || !config.resolutions.includes(res))
    return json(400, { error: "imageName and an offered res are required" });
  const thumb = await oneLambda(s3FromEnv(), config, imageName, thumbnailOptions(config, res, format));
  return json(200, {
    imageName,
    res,
    format: thumb.format,
    width: thumb.width,
    height: thumb.height,
    bytes: thumb.data.length,
  });
}
