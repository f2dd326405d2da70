import os from 'node:os';

/** What a run is stopped by: its signal, and (from the process's signals) being told Blender has stopped. */
export interface Cancellation {
  readonly signal: AbortSignal;
  nothingLeftToStop?(): void;
}

/**
 * Signals to this process during a run (a cancelled job, ^C, the terminal closed: SIGHUP, which
 * would otherwise end Node and leave Blender running). The first SIGINT, SIGTERM or SIGHUP aborts `signal`, so the pipeline still stops Blender and scans for leftovers before exiting.
 * A second one, or any once Blender has stopped (there is nothing left to clean up: only
 * reports are being written), ends the process at once.
 */
export class RunSignals implements Cancellation {
  readonly signal: AbortSignal;
  private blenderStopped = false;

  private readonly listeners: [NodeJS.Signals, () => void][] = [];

  constructor(exit: (code: number) => void = (code) => process.exit(code)) {
    const controller = new AbortController();
    this.signal = controller.signal;
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const listener = () => {
        if (this.blenderStopped || controller.signal.aborted) exit(128 + os.constants.signals[name]);
        else controller.abort(new Error(`received ${name}`));
      };
      process.on(name, listener);
      this.listeners.push([name, listener]);
    }
  }

  /** No longer listening (the process's default for these signals again). */
  close(): void {
    for (const [name, listener] of this.listeners.splice(0)) process.off(name, listener);
  }

  /** Blender has stopped and been checked: from now on a signal ends the process at once. */
  nothingLeftToStop(): void {
    this.blenderStopped = true;
  }
}
