/**
 * The thumbnail service on AWS, one Pulumi stack per environment (docs/architecture.md has the picture,
 * infra/README.md the parts). Wiring only: the stack's typed config in, the components, the outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import path from "node:path";
import { Api } from "./infra/api";
import { bundleAll } from "./infra/bundle";
import { allowedOrigins } from "./infra/cors";
import { reportDeployWarnings } from "./infra/deploy-warnings";
import { serviceEnvironment } from "./infra/environment";
import { Monitoring } from "./infra/monitoring";
import { resourcePrefix } from "./infra/naming";
import { stateMachineConsoleUrl } from "./infra/observability";
import { byFunction, type FunctionSettings } from "./infra/service-function";
import { Site, SiteRuntimeConfig } from "./infra/site";
import { collectSiteFiles } from "./infra/site-files";
import { readStackConfig } from "./infra/stack-config";
import { Storage } from "./infra/storage";
import { Workflow } from "./infra/workflow";
import { buildWebSync } from "./web/build";

const pulumiConfig = new pulumi.Config();
const namespace = `${pulumi.getProject()}:`;
const config = readStackConfig(
  (key) => pulumiConfig.get(key),
  Object.keys(pulumi.runtime.allConfig())
    .filter((key) => key.startsWith(namespace))
    .map((key) => key.slice(namespace.length)),
);
// What can stop a first deploy in a fresh account, as warnings (infra/deploy-warnings.ts).
void reportDeployWarnings(config);
const prefix = resourcePrefix(pulumi.getStack());
const region = aws.getRegionOutput().region;

// The page first: its CloudFront origin is one of the origins the API and the uploads allow. The
// program builds it (like the Lambdas), so `pulumi up` alone deploys the current page.
const siteDir = path.join(__dirname, "dist", "site", prefix);
buildWebSync(siteDir);
const page = collectSiteFiles(siteDir);
for (const warning of page.warnings) void pulumi.log.warn(warning);
const site = new Site("site", {
  prefix,
  files: page.files,
  priceClass: config.priceClass,
  forceDestroy: config.forceDestroy,
});
const origins = site.url.apply((siteUrl) => allowedOrigins(siteUrl, config.extraOrigins));

const storage = new Storage("storage", {
  prefix,
  deliveryMode: config.deliveryMode,
  priceClass: config.priceClass,
  uploadRetentionDays: config.uploadRetentionDays,
  forceDestroy: config.forceDestroy,
  allowedOrigins: origins,
  region,
});

const settings: FunctionSettings = {
  prefix,
  architecture: config.architecture,
  memoryMb: config.memoryMb,
  resizeMemoryMb: config.resizeMemoryMb,
  logRetentionDays: config.logRetentionDays,
  bundles: bundleAll({
    projectRoot: __dirname,
    outDir: path.join(__dirname, "dist", "lambdas", prefix),
    architecture: config.architecture,
    cacheDir: path.join(__dirname, "dist", "cache"),
  }),
  environment: pulumi
    .all([storage.sourceBucket.bucket, storage.thumbnailBucket.bucket, storage.publicBaseUrl, origins])
    .apply(([sourceBucket, thumbnailBucket, publicBaseUrl, allowed]) =>
      serviceEnvironment(config.service, { sourceBucket, thumbnailBucket, publicBaseUrl, allowedOrigins: allowed }),
    ),
  sourceBucketArn: storage.sourceBucket.arn,
  thumbnailBucketArn: storage.thumbnailBucket.arn,
};

const workflow = new Workflow("workflow", { settings });
const api = new Api("api", {
  settings,
  allowedOrigins: origins,
  stateMachineArn: workflow.stateMachine.arn,
  throttle: config.throttle,
  ...(config.auth !== undefined ? { auth: config.auth } : {}),
});
new SiteRuntimeConfig("site-config", { bucket: site.bucket.id, apiUrl: api.url });

const functions = [...workflow.functions, ...api.functions];
const monitoring = new Monitoring("monitoring", {
  prefix,
  region,
  apiId: api.api.id,
  stateMachineArn: workflow.stateMachine.arn,
  stateMachineLogGroupName: workflow.logGroup.name,
  accessLogGroupName: api.accessLogGroup.name,
  functionNames: byFunction(functions, (fn) => fn.function.name),
  functionLogGroupNames: functions.map((fn) => fn.logGroup.name),
  latencyAlarmP99Ms: config.latencyAlarmP99Ms,
  ...(config.alarmEmail !== undefined ? { alarmEmail: config.alarmEmail } : {}),
});

export const apiUrl = api.url;
export const siteUrl = site.url;
export const thumbnailBaseUrl = storage.publicBaseUrl;
export const deliveryMode = config.deliveryMode;
export const architecture = config.architecture;
export const sourceBucketName = storage.sourceBucket.bucket;
export const thumbnailBucketName = storage.thumbnailBucket.bucket;
export const siteBucketName = site.bucket.bucket;
export const stateMachineArn = workflow.stateMachine.arn;
export const stateMachineExecutionsUrl = pulumi
  .all([region, workflow.stateMachine.arn])
  .apply(([r, arn]) => stateMachineConsoleUrl(r, arn));
export const stateMachineLogGroup = workflow.logGroup.name;
export const apiAccessLogGroup = api.accessLogGroup.name;
export const dashboardUrl = monitoring.dashboardUrl;
export const alarmTopicArn = monitoring.topic.arn;
export const requestQueryName = monitoring.requestQuery.name;
