/** The whole local service (as `npm start` runs it) on ephemeral ports in a temp dir. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { perTask } from "../../infra/catalog";
import { createS3Client } from "../../lambdas/shared/s3-client";
import { startLocalService, type LocalService, type LocalServiceOptions } from "../../local/service";

/** One build of the Lambda bundles per test process, whichever service asks first. */
const SHARED_BUNDLE_DIR = join(tmpdir(), `thumb-lambda-bundles-${process.pid}`);

/** Every Task's retry waits at zero, so retry tests do not sleep. */
export const NO_RETRY_WAITS = perTask(() => 0);

export interface TestService extends LocalService {
  dataDir: string;
  /** Puts bytes straight into the source bucket under a fresh, well-formed name. */
  upload(body: Buffer, ext?: string): Promise<{ imageName: string; etag: string }>;
  stop(): Promise<void>;
}

export async function startTestService(
  options: Partial<
    Pick<
      LocalServiceOptions,
      "overrides" | "retryIntervalOverrides" | "stateMachineTimeoutSeconds" | "isolation" | "auth"
    >
  > & {
    dataDir?: string;
  } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "thumb-svc-")));
  const service = await startLocalService({
    port: 0,
    s3Port: 0,
    sfnPort: 0,
    dataDir,
    retryIntervalOverrides: options.retryIntervalOverrides ?? NO_RETRY_WAITS,
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.stateMachineTimeoutSeconds !== undefined
      ? { stateMachineTimeoutSeconds: options.stateMachineTimeoutSeconds }
      : {}),
    // Isolated functions share one build of the bundles per test process; their logs stay quiet.
    ...(options.isolation
      ? {
          isolation: {
            bundleDir: SHARED_BUNDLE_DIR,
            onLog: () => undefined,
            onReport: () => undefined,
            ...options.isolation,
          },
        }
      : {}),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  const s3 = createS3Client(service.config, service.credentials);
  return Object.assign(service, {
    dataDir,
    async upload(body: Buffer, ext = "jpg") {
      const imageName = `${crypto.randomUUID()}.${ext}`;
      const out = await s3.send(
        new PutObjectCommand({
          Bucket: service.config.sourceBucket,
          Key: `uploads/${imageName}`,
          Body: body,
          ContentType: "image/jpeg",
        }),
      );
      return { imageName, etag: (out.ETag ?? "").replace(/"/g, "") };
    },
    async stop() {
      s3.destroy();
      await service.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  });
}
