// @pulumi/pulumi exports waitForRPCs from runtime/settings (what its own disconnect() awaits before
// closing) but marks it internal, so its typings leave it out. The infra tests wait on it.
import "@pulumi/pulumi/runtime/settings";

declare module "@pulumi/pulumi/runtime/settings" {
  export function waitForRPCs(): Promise<void>;
}
