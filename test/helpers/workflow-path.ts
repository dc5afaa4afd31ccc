/**
 * The states a cache miss visits: the catalog's Tasks in its order (the workflow's order), with the
 * Choice after Fetch. Tests that check a run's path take it from here, so a Task added to the
 * catalog and the ASL is expected on the path without editing them.
 */
import { TASK_STATES } from "../../infra/catalog";

export const CHOICE_STATE = "IsThumbnailStored";

export function missPath(): string[] {
  return TASK_STATES.flatMap((state) => (state === "Fetch" ? [state, CHOICE_STATE] : [state]));
}
