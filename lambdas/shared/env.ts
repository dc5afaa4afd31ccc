import { parseConfig } from "./config";
import { once } from "./http-agent";

/** The function's configuration, parsed on first use (importing a handler has no side effects). */
export const configFromEnv = once(() => parseConfig(process.env));
