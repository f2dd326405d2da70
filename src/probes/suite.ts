import type { Framing, JsonValue } from './schema.js';

/** A probe file, parsed and validated before Blender starts: what the load phase hands on. */
export interface ProbeFile {
  path: string;
  name: string;
  target: { host: string | undefined; port: number | undefined; framing: Framing };
  steps: ProbeStep[];
}

export interface ProbeStep {
  name: string;
  /** 1-based line of the step in its file, for reports and annotations */
  line: number;
  send: JsonValue;
  expect: JsonValue | undefined;
  timeoutMs: number | undefined;
}

export interface ProbeSuite {
  files: ProbeFile[];
}
