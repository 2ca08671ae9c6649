/** Result of the samples route for one port: its items, or the error message. */
export type RouteSamples = { items?: unknown[]; error?: string };

/**
 * Chooses the items a port shows. After a run the samples route is the source, and its error is
 * shown. While a run goes the route may not know the run yet, or may not have the port's samples
 * yet, so its error or an empty item list falls back to the items the live events brought.
 */
export function choosePortItems(
  running: boolean,
  route: RouteSamples | undefined,
  live: unknown[],
): { items: unknown[]; error?: string } {
  if (route === undefined) return { items: live };
  if (running) {
    return route.items !== undefined && route.items.length > 0
      ? { items: route.items }
      : { items: live };
  }
  return { items: route.items ?? live, error: route.error };
}
