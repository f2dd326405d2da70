/** Where an expectation and a reply differ: what match.ts finds and each operator (operators.ts) says. */
export interface Mismatch {
  /** JSONPath-like location, e.g. $.result.items[2].name */
  path: string;
  expected: unknown;
  /** undefined when the key is missing */
  actual: unknown;
  /** the difference as a phrase: "expected "Scene", got "Other"" */
  reason: string;
}

/** How an operator matches a value below it: match.ts's match, passed down so operators.ts needs no import of it. */
export type SubMatch = (expected: unknown, actual: unknown, path: string) => Mismatch | undefined;
