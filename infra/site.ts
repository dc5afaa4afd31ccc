/**
 * The page: web/ in a private bucket behind CloudFront (OAC), plus runtime-config.json telling the
 * page where the API is. The config file is its own component because the API needs the site's
 * origin (CORS) before the site can be told the API's URL.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateBucketCdn } from "./cdn";
import { cloudFrontRead } from "./policies";
import { SecureBucket } from "./secure-bucket";
import { REVALIDATE, RUNTIME_CONFIG_KEY, type SiteFile } from "./site-files";
import type { PriceClass } from "./stack-config";

export interface SiteArgs {
  prefix: string;
  files: SiteFile[];
  priceClass: PriceClass;
  forceDestroy: boolean;
}

export class Site extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  /** https://<domain>: the page's URL and its origin. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: SiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:Site", name, {}, opts);
    const parent = { parent: this };
    const bucket = new SecureBucket(
      `${name}-bucket`,
      { namePrefix: `${args.prefix}-site-`, forceDestroy: args.forceDestroy },
      parent,
    );
    this.bucket = bucket.bucket;
    const cdn = new PrivateBucketCdn(
      `${name}-cdn`,
      {
        accessControlName: `${args.prefix}-site`,
        bucket: bucket.bucket,
        priceClass: args.priceClass,
        comment: `${args.prefix} site`,
        defaultRootObject: "index.html",
        responseHeadersPolicy: "Managed-SecurityHeadersPolicy",
      },
      parent,
    );
    bucket.attachPolicy((arn) =>
      cdn.distribution.arn.apply((distributionArn) => [cloudFrontRead(arn, "", distributionArn)]),
    );
    for (const file of args.files) {
      new aws.s3.BucketObjectv2(
        `${name}-file-${file.key}`,
        {
          bucket: bucket.bucket.id,
          key: file.key,
          source: new pulumi.asset.FileAsset(file.source),
          contentType: file.contentType,
          cacheControl: file.cacheControl,
        },
        parent,
      );
    }
    this.url = cdn.url;
    this.registerOutputs({ url: this.url, bucketName: this.bucket.bucket });
  }
}

/** What the page reads at start-up (web/src/api.ts). */
export function runtimeConfigDocument(apiUrl: string): string {
  return JSON.stringify({ apiBaseUrl: apiUrl });
}

export interface SiteRuntimeConfigArgs {
  bucket: pulumi.Input<string>;
  apiUrl: pulumi.Input<string>;
}

export class SiteRuntimeConfig extends pulumi.ComponentResource {
  constructor(name: string, args: SiteRuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:SiteRuntimeConfig", name, {}, opts);
    new aws.s3.BucketObjectv2(
      `${name}-file`,
      {
        bucket: args.bucket,
        key: RUNTIME_CONFIG_KEY,
        content: pulumi.output(args.apiUrl).apply(runtimeConfigDocument),
        contentType: "application/json",
        // A redeploy may move the API: never serve a stale copy.
        cacheControl: REVALIDATE,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
