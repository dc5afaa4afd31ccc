/**
 * What an invocation, an execution and a thumbnail cost, from durations and the prices in
 * prices.ts. Pure arithmetic, unit-tested with hand-computed values: Lambda bills Init + Duration
 * rounded up to the millisecond at memory/1024 GB; Express bills each execution's duration rounded
 * up to 100 ms at its memory rounded up to 64 MB chunks.
 */
import { PRICES } from "./prices";

export const LAMBDA_INCREMENT_MS = 1;
export const EXPRESS_INCREMENT_MS = 100;
export const EXPRESS_MEMORY_CHUNK_MB = 64;
/** Lambda and Step Functions count a GB as 1024 MB. */
const MB_PER_GB = 1024;

export type Rates = { [K in keyof typeof PRICES]: number };

/** The prices as plain numbers (tests pass their own). */
export const RATES: Rates = {
  lambdaArm64GbSecond: PRICES.lambdaArm64GbSecond.usd,
  lambdaRequest: PRICES.lambdaRequest.usd,
  expressRequest: PRICES.expressRequest.usd,
  expressGbSecond: PRICES.expressGbSecond.usd,
  s3PutCopyPostList: PRICES.s3PutCopyPostList.usd,
  s3GetHead: PRICES.s3GetHead.usd,
  httpApiRequest: PRICES.httpApiRequest.usd,
};

/** Billed milliseconds of one invocation: Init (cold only) plus Duration, rounded up to 1 ms. */
export function lambdaBilledMs(durationMs: number, initMs = 0): number {
  return Math.ceil((durationMs + initMs) / LAMBDA_INCREMENT_MS) * LAMBDA_INCREMENT_MS;
}

export function gbSeconds(memoryMb: number, billedMs: number): number {
  return (memoryMb / MB_PER_GB) * (billedMs / 1000);
}

export interface LambdaInvocation {
  memoryMb: number;
  durationMs: number;
  /** Set for a cold invocation. */
  initMs?: number;
}

/** Duration and request charge of one invocation, in dollars. */
export function lambdaInvocationUsd(i: LambdaInvocation, rates: Rates = RATES): { compute: number; request: number } {
  return {
    compute: gbSeconds(i.memoryMb, lambdaBilledMs(i.durationMs, i.initMs)) * rates.lambdaArm64GbSecond,
    request: rates.lambdaRequest,
  };
}

export interface ExpressBilling {
  billedDurationMs: number;
  billedMemoryMb: number;
}

/** As billingDetails reports an execution: duration up to the next 100 ms, memory up to the next 64 MB. */
export function expressBilling(durationMs: number, memoryMb: number): ExpressBilling {
  return {
    billedDurationMs: Math.max(1, Math.ceil(durationMs / EXPRESS_INCREMENT_MS)) * EXPRESS_INCREMENT_MS,
    billedMemoryMb: Math.max(1, Math.ceil(memoryMb / EXPRESS_MEMORY_CHUNK_MB)) * EXPRESS_MEMORY_CHUNK_MB,
  };
}

/** Request and duration charge of one Express execution, in dollars, from its (rounded) billing. */
export function expressExecutionUsd(b: ExpressBilling, rates: Rates = RATES): { duration: number; request: number } {
  return {
    duration: gbSeconds(b.billedMemoryMb, b.billedDurationMs) * rates.expressGbSecond,
    request: rates.expressRequest,
  };
}

/** S3 requests by price class: PUT/COPY/POST/LIST, and GET/HEAD (with every other request). */
export interface S3Requests {
  putCopyPostList: number;
  getHead: number;
}

export function s3Usd(r: S3Requests, rates: Rates = RATES): { putCopyPostList: number; getHead: number } {
  return { putCopyPostList: r.putCopyPostList * rates.s3PutCopyPostList, getHead: r.getHead * rates.s3GetHead };
}

/** Everything one thumbnail request sets in motion. */
export interface ThumbnailWork {
  invocations: (LambdaInvocation & { name: string })[];
  /** Absent when no workflow runs (the one-Lambda variant). */
  express?: ExpressBilling;
  s3: S3Requests;
  httpApiRequests: number;
}

export interface CostBreakdown {
  lambdaCompute: number;
  lambdaRequests: number;
  expressRequests: number;
  expressDuration: number;
  s3PutCopyPostList: number;
  s3GetHead: number;
  httpApi: number;
  total: number;
}

export const COST_LINES = [
  "lambdaCompute",
  "lambdaRequests",
  "expressRequests",
  "expressDuration",
  "s3PutCopyPostList",
  "s3GetHead",
  "httpApi",
] as const;

/** Dollars for one thumbnail request, by line. */
export function thumbnailUsd(w: ThumbnailWork, rates: Rates = RATES): CostBreakdown {
  let lambdaCompute = 0;
  let lambdaRequests = 0;
  for (const i of w.invocations) {
    const c = lambdaInvocationUsd(i, rates);
    lambdaCompute += c.compute;
    lambdaRequests += c.request;
  }
  const express = w.express ? expressExecutionUsd(w.express, rates) : { duration: 0, request: 0 };
  const s3 = s3Usd(w.s3, rates);
  const lines = {
    lambdaCompute,
    lambdaRequests,
    expressRequests: express.request,
    expressDuration: express.duration,
    s3PutCopyPostList: s3.putCopyPostList,
    s3GetHead: s3.getHead,
    httpApi: w.httpApiRequests * rates.httpApiRequest,
  };
  return { ...lines, total: COST_LINES.reduce((sum, k) => sum + lines[k], 0) };
}

/** The same breakdown for a million requests. */
export function perMillion(c: CostBreakdown): CostBreakdown {
  const out = { ...c };
  for (const k of [...COST_LINES, "total"] as const) out[k] = c[k] * 1e6;
  return out;
}
