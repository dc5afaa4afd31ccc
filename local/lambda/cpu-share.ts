/**
 * Lambda's CPU share for a memory size: a function gets memory/1769 of a vCPU (1769 MB is one full
 * vCPU; the most, 10240 MB, is 6 vCPUs). Local environments are held to the same share with a
 * cgroup CPU quota, so a cold start here costs what it costs there.
 */
export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;
/** The CFS period the quota is expressed in (the kernel's default). */
export const CFS_PERIOD_US = 100_000;

export function vcpusFor(memoryMb: number): number {
  return Math.min(MAX_VCPUS, memoryMb / MB_PER_VCPU);
}

/** Microseconds of CPU per CFS period: 256 MB -> 14472 of 100000 (0.145 vCPU). */
export function cfsQuotaUs(memoryMb: number): number {
  return Math.max(1000, Math.round(vcpusFor(memoryMb) * CFS_PERIOD_US));
}
