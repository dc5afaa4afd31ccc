/**
 * A CloudFront distribution in front of a private bucket, reading it through Origin Access Control
 * (SigV4-signed requests; the bucket policy admits this distribution only). HTTPS for viewers,
 * GET/HEAD only, AWS's managed cache and response-header policies looked up by name.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PriceClass } from "./stack-config";

export interface PrivateBucketCdnArgs {
  /** Physical name of the Origin Access Control (unique per account). */
  accessControlName: string;
  bucket: aws.s3.Bucket;
  priceClass: PriceClass;
  comment: string;
  defaultRootObject?: string;
  /** A managed response headers policy, e.g. Managed-SecurityHeadersPolicy. */
  responseHeadersPolicy: string;
}

const ORIGIN_ID = "bucket";

export class PrivateBucketCdn extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  /** https://<domain>, no trailing slash. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: PrivateBucketCdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:PrivateBucketCdn", name, {}, opts);
    const parent = { parent: this };
    const accessControl = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      {
        name: args.accessControlName,
        description: args.comment,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      parent,
    );
    const cachePolicy = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingOptimized" }, parent);
    const headersPolicy = aws.cloudfront.getResponseHeadersPolicyOutput({ name: args.responseHeadersPolicy }, parent);
    this.distribution = new aws.cloudfront.Distribution(
      name,
      {
        enabled: true,
        comment: args.comment,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: args.priceClass,
        ...(args.defaultRootObject !== undefined ? { defaultRootObject: args.defaultRootObject } : {}),
        origins: [
          {
            originId: ORIGIN_ID,
            domainName: args.bucket.bucketRegionalDomainName,
            originAccessControlId: accessControl.id,
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: ORIGIN_ID,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          compress: true,
          cachePolicyId: cachePolicy.apply((p) => requireId(p.id, "Managed-CachingOptimized")),
          responseHeadersPolicyId: headersPolicy.apply((p) => requireId(p.id, args.responseHeadersPolicy)),
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      },
      parent,
    );
    this.url = pulumi.interpolate`https://${this.distribution.domainName}`;
    this.registerOutputs({ url: this.url, distributionArn: this.distribution.arn });
  }
}

function requireId(id: string | undefined, policy: string): string {
  if (id === undefined || id === "") throw new Error(`CloudFront policy ${policy} not found`);
  return id;
}
