import type { Mismatch } from './match.js';

/** The outcome of one probe step: what the run phase hands to the reports. */
export interface StepResult {
  file: string;
  fileName: string;
  step: string;
  line: number;
  passed: boolean;
  durationMs: number;
  /** one sentence: why the step failed */
  failure?: string;
  mismatch?: Mismatch;
  /** the raw reply text, when there was one */
  reply?: string;
}
