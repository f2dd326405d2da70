import type { Mismatch } from './mismatch.js';
import type { StepAction } from './suite.js';

/** The outcome of one probe step: what the run phase hands to the reports. */
export interface StepResult {
  file: string;
  fileName: string;
  step: string;
  line: number;
  /** a probe step's kind, or 'test' for an add-on's own Python test (src/addon-tests/) */
  kind: StepAction['kind'] | 'test';
  passed: boolean;
  durationMs: number;
  /** 1 unless the step has `retry` */
  attempts: number;
  /** one sentence: why the (last attempt of the) step failed */
  failure?: string;
  mismatch?: Mismatch;
  /** the raw reply text, when there was one */
  reply?: string;
  /** more to read under the failure: a Python traceback */
  details?: string;
  /** no reply came within the step's time (a `blender` step's code may still be running) */
  timedOut?: boolean;
  /** Blender ended during this step: the run stopped here */
  blenderExited?: boolean;
  /** a test the runner skipped, and why (it counts as neither passed nor failed) */
  skipped?: string;
}

/** A step the run never reached: Blender had ended, or the run was cancelled. */
export interface NotRunStep {
  file: string;
  fileName: string;
  step: string;
  line: number;
}
