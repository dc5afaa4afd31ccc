/**
 * The two data buckets and how thumbnails reach the public.
 * - source: uploads/<id>.<ext>, written by the browser's presigned POST from the allowed origins only;
 *   expired after uploadRetentionDays.
 * - thumbnails: staging/ (Resize's private output, expired after a day) and thumbnails/ (published,
 *   immutable), readable by the public through CloudFront + OAC, or in the public-bucket mode through
 *   a bucket policy granting s3:GetObject on thumbnails/* and nothing else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateBucketCdn } from "./cdn";
import { sourceBucketCorsRules } from "./cors";
import { cloudFrontRead, publicRead } from "./policies";
import { SecureBucket } from "./secure-bucket";
import type { DeliveryMode, PriceClass } from "./stack-config";

export const UPLOADS_PREFIX = "uploads/";
export const STAGING_PREFIX = "staging/";
export const PUBLIC_PREFIX = "thumbnails/";
/** Staged thumbnails are published within seconds; anything older is debris of a failed run. */
export const STAGING_EXPIRY_DAYS = 1;

export interface StorageArgs {
  prefix: string;
  deliveryMode: DeliveryMode;
  priceClass: PriceClass;
  uploadRetentionDays: number;
  forceDestroy: boolean;
  /** Origins whose pages may POST uploads. */
  allowedOrigins: pulumi.Input<string[]>;
  region: pulumi.Input<string>;
}

export class Storage extends pulumi.ComponentResource {
  readonly sourceBucket: aws.s3.Bucket;
  readonly thumbnailBucket: aws.s3.Bucket;
  /** Base URL thumbnails/<...> keys are appended to (with a "/"); no trailing slash. */
  readonly publicBaseUrl: pulumi.Output<string>;
  /** The thumbnails CDN in the cloudfront mode. */
  readonly cdn: PrivateBucketCdn | undefined;

  constructor(name: string, args: StorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Storage", name, {}, opts);
    const parent = { parent: this };

    const source = new SecureBucket(
      `${name}-source`,
      { namePrefix: `${args.prefix}-source-`, forceDestroy: args.forceDestroy },
      parent,
    );
    this.sourceBucket = source.bucket;
    source.attachPolicy(() => []);
    new aws.s3.BucketCorsConfiguration(
      `${name}-source-cors`,
      { bucket: source.bucket.id, corsRules: pulumi.output(args.allowedOrigins).apply(sourceBucketCorsRules) },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-source-lifecycle`,
      {
        bucket: source.bucket.id,
        rules: [
          {
            id: "expire-uploads",
            status: "Enabled",
            filter: { prefix: UPLOADS_PREFIX },
            expiration: { days: args.uploadRetentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );

    const publicBucket = args.deliveryMode === "public-bucket";
    const thumbnails = new SecureBucket(
      `${name}-thumbnails`,
      { namePrefix: `${args.prefix}-thumbnails-`, forceDestroy: args.forceDestroy, allowPublicPolicy: publicBucket },
      parent,
    );
    this.thumbnailBucket = thumbnails.bucket;
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-thumbnails-lifecycle`,
      {
        bucket: thumbnails.bucket.id,
        rules: [
          {
            id: "expire-staging",
            status: "Enabled",
            filter: { prefix: STAGING_PREFIX },
            expiration: { days: STAGING_EXPIRY_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );

    if (publicBucket) {
      this.cdn = undefined;
      thumbnails.attachPolicy((arn) => [publicRead(arn, PUBLIC_PREFIX)]);
      this.publicBaseUrl = pulumi.interpolate`https://${thumbnails.bucket.bucket}.s3.${args.region}.amazonaws.com`;
    } else {
      const cdn = new PrivateBucketCdn(
        `${name}-cdn`,
        {
          accessControlName: `${args.prefix}-thumbnails`,
          bucket: thumbnails.bucket,
          priceClass: args.priceClass,
          comment: `${args.prefix} thumbnails`,
          // Thumbnails are public and immutable: any page may fetch them.
          responseHeadersPolicy: "Managed-CORS-and-SecurityHeadersPolicy",
        },
        parent,
      );
      this.cdn = cdn;
      thumbnails.attachPolicy((arn) =>
        cdn.distribution.arn.apply((distributionArn) => [cloudFrontRead(arn, PUBLIC_PREFIX, distributionArn)]),
      );
      this.publicBaseUrl = cdn.url;
    }

    this.registerOutputs({
      sourceBucketName: this.sourceBucket.bucket,
      thumbnailBucketName: this.thumbnailBucket.bucket,
      publicBaseUrl: this.publicBaseUrl,
    });
  }
}
