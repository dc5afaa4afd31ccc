/**
 * A private bucket as every bucket of the service starts: ACLs disabled (BucketOwnerEnforced),
 * Block Public Access on, SSE-S3 (AES256, so no KMS permissions anywhere), and a policy that
 * always refuses plain HTTP. Only the thumbnails bucket in the public-bucket mode relaxes the two
 * BPA settings that would forbid its public-read policy; ACL blocking stays on everywhere.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketPolicy, type PolicyStatement } from "./policies";

export interface SecureBucketArgs {
  /** The bucket's name starts with this (S3 appends a unique suffix); lower case, at most 37 characters. */
  namePrefix: string;
  /** Delete the bucket even when it holds objects (dev stacks). */
  forceDestroy: boolean;
  /** Allow a bucket policy that grants public read (the public-bucket delivery mode). */
  allowPublicPolicy?: boolean;
}

export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  private readonly configured: pulumi.Resource[];
  private policy: aws.s3.BucketPolicy | undefined;
  readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;

  private readonly logicalName: string;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("thumbnails:infra:SecureBucket", name, {}, opts);
    this.logicalName = name;
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(name, { bucketPrefix: args.namePrefix, forceDestroy: args.forceDestroy }, parent);
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const publicPolicy = args.allowPublicPolicy === true;
    this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: !publicPolicy,
        restrictPublicBuckets: !publicPolicy,
      },
      parent,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: this.bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );
    this.configured = [this.publicAccessBlock, ownership, encryption];
    this.registerOutputs({ bucketName: this.bucket.bucket, bucketArn: this.bucket.arn });
  }

  /**
   * The bucket policy: deny-non-TLS plus `statements`, which may name resources made after the
   * bucket (a CloudFront distribution reading it). Called once per bucket.
   */
  attachPolicy(statements: (bucketArn: string) => pulumi.Input<PolicyStatement[]>): aws.s3.BucketPolicy {
    if (this.policy !== undefined) throw new Error("the bucket policy is already attached");
    const document = this.bucket.arn.apply((arn) =>
      pulumi.output(statements(arn)).apply((extra) => JSON.stringify(bucketPolicy(arn, extra))),
    );
    this.policy = new aws.s3.BucketPolicy(
      `${this.logicalName}-policy`,
      { bucket: this.bucket.id, policy: document },
      // A public-read policy is refused while BlockPublicPolicy is still on; S3 also serializes config writes.
      { parent: this, dependsOn: this.configured },
    );
    return this.policy;
  }
}
