/**
 * The prices the cost tables multiply by: on-demand, US East (N. Virginia), first pricing tier, no
 * free tier (a million thumbnails a month lies inside every first tier; the free tiers would hide
 * the very figures being compared). Looked up on 2026-12-06 through stored copies of the pages
 * named below. AWS's own Lambda, S3 and API Gateway pricing pages render their rate tables from
 * client-side price tokens, so the stored copies of those pages do not show the figures; where a
 * figure comes from elsewhere, `confirmed` says so. Change a price here and every table follows.
 */

export interface Price {
  /** US dollars per `unit`. */
  usd: number;
  unit: "GB-second" | "request";
  /** The price as the source states it. */
  quoted: string;
  source: string;
  /** How far the figure is confirmed: the AWS page itself, or which other source carries it. */
  confirmed: string;
}

export const PRICES_TAKEN_ON = "2026-12-06";
export const PRICES_REGION = "us-east-1";

/** Lambda duration, arm64, first 7.5 billion GB-s a month. Init is billed too (since August 2025). */
export const LAMBDA_ARM64_GB_SECOND: Price = {
  usd: 0.0000133334,
  unit: "GB-second",
  quoted: "$0.0000133334 per GB-second (first 7.5 billion GB-s a month)",
  source: "https://aws.amazon.com/lambda/pricing/",
  confirmed:
    "not legible on AWS's page (price tokens); the same figure in cloudchipr.com/blog/aws-lambda-pricing (US East, arm, first 7.5 billion GB-s) " +
    "and consistent with AWS's 'Introducing tiered pricing for AWS Lambda' blog (arm64 tiers at 7.5 and 18.75 billion GB-s)",
};

/** Lambda requests, either architecture. */
export const LAMBDA_REQUEST: Price = {
  usd: 0.2 / 1e6,
  unit: "request",
  quoted: "$0.20 per million requests",
  source: "https://aws.amazon.com/lambda/pricing/",
  confirmed:
    "AWS's page states $0.20 per million requests (in its Managed Instances section); the same in secondary sources for on-demand",
};

/** Step Functions Express: per execution started (StartSyncExecution). */
export const EXPRESS_REQUEST: Price = {
  usd: 1.0 / 1e6,
  unit: "request",
  quoted: "$1.00 per million requests",
  source: "https://aws.amazon.com/step-functions/pricing/",
  confirmed:
    "AWS's pricing page worked example ('The price is $1.00 per million requests') and the AWS Compute Blog 'Building cost-effective AWS Step Functions workflows'",
};

/**
 * Step Functions Express duration, first 1,000 GB-hours a month: $0.06 per GB-hour. Billed per
 * execution in 100 ms increments and 64 MB memory chunks.
 */
export const EXPRESS_GB_SECOND: Price = {
  usd: 0.06 / 3600,
  unit: "GB-second",
  quoted: "$0.06 per GB-hour (first 1,000 GB-hours)",
  source: "https://aws.amazon.com/step-functions/pricing/",
  confirmed:
    "AWS's pricing page worked example ($0.06000 per GB-hour for the first 1,000 GB-hours; the same as the workshop's $0.0000001042 per 100 ms at 64 MB)",
};

/** S3 Standard, PUT, COPY, POST and LIST requests. */
export const S3_PUT_COPY_POST_LIST: Price = {
  usd: 0.005 / 1000,
  unit: "request",
  quoted: "$0.005 per 1,000 requests",
  source: "https://aws.amazon.com/s3/pricing/",
  confirmed:
    "not legible on AWS's page (price tokens); the same figure in c3x.dev and awsi.click (us-east-1, S3 Standard)",
};

/** S3 Standard, GET, SELECT and all other requests (HEAD among them). */
export const S3_GET_HEAD: Price = {
  usd: 0.0004 / 1000,
  unit: "request",
  quoted: "$0.0004 per 1,000 requests",
  source: "https://aws.amazon.com/s3/pricing/",
  confirmed:
    "not legible on AWS's page (price tokens); the same figure in c3x.dev and awsi.click (us-east-1, S3 Standard, GET/HEAD)",
};

/** API Gateway HTTP API, first 300 million requests a month, metered in 512 KB increments. */
export const HTTP_API_REQUEST: Price = {
  usd: 1.0 / 1e6,
  unit: "request",
  quoted: "$1.00 per million requests (first 300 million)",
  source: "https://aws.amazon.com/api-gateway/pricing/",
  confirmed:
    "not legible on AWS's page (price tokens); the same figure in apigatewaycost.com and awsforengineers.com (US East, first 300 million)",
};

export const PRICES = {
  lambdaArm64GbSecond: LAMBDA_ARM64_GB_SECOND,
  lambdaRequest: LAMBDA_REQUEST,
  expressRequest: EXPRESS_REQUEST,
  expressGbSecond: EXPRESS_GB_SECOND,
  s3PutCopyPostList: S3_PUT_COPY_POST_LIST,
  s3GetHead: S3_GET_HEAD,
  httpApiRequest: HTTP_API_REQUEST,
} as const;

export type PriceName = keyof typeof PRICES;
export const PRICE_NAMES: readonly PriceName[] = [
  "lambdaArm64GbSecond",
  "lambdaRequest",
  "expressRequest",
  "expressGbSecond",
  "s3PutCopyPostList",
  "s3GetHead",
  "httpApiRequest",
];
