/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM to this process (a cancelled
 * job, ^C), so the pipeline can still stop Blender and scan for leftovers before exiting.
 */
export function abortOnSignals(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => controller.abort(new Error(`received ${name}`)));
  }
  return controller.signal;
}
