import net from 'node:net';
import path from 'node:path';
import { displayPath } from '../display-path.js';
import { DEFAULT_RULE } from '../snapshots/compare.js';
import { type SnapshotOutcome, type SnapshotSetting, checkSnapshot } from '../snapshots/snapshot-check.js';
import { formatDuration } from '../duration.js';
import type { NotRunStep, StepResult } from '../probes/results.js';
import { SERVER_END_GRACE_MS } from '../probes/run.js';
import type { ControlEndpoint } from '../probes/transports/blender.js';
import { controlRequestLine } from '../session/driver-protocol.js';
import type { TestScript } from './test-script.js';

export type TestRunner = 'auto' | 'unittest' | 'pytest';
/** test-isolation: file loads the startup scene before every test file, auto before every test script */
export type TestIsolation = 'auto' | 'none' | 'file';

export interface UnitTestRun {
  files: string[];
  /** the suite's own runner script (test-script), run after the files as Blender would run it */
  script?: TestScript | undefined;
  isolation?: TestIsolation;
  runner: TestRunner;
  /** how long one test may run before it is reported as hanging (test-timeout); undefined: no limit */
  timeoutMs: number | undefined;
  /** the run was cancelled: stop waiting for the tests (Blender is stopped next) */
  signal?: AbortSignal | undefined;
  /** each test file starts with the add-on installed, not enabled (the tests enable it themselves) */
  installedOnly?: boolean;
  /** folders on sys.path while the tests run */
  importPaths?: string[];
  /** something about the suite the user should know (a pytest-blender option that means nothing here) */
  onWarning?: (message: string) => void;
  /** the session's control channel (op "tests")... */
  control?: ControlEndpoint;
  /** ...or events that arrive another way (the UI check's Blender writes them to a file) */
  events?: TestEventSource;
  /** whether Blender has ended (as for probes): a reset connection may be a crash */
  serverEnded: (graceMs: number) => Promise<string | undefined>;
  /** how a file the driver names is shown: a test file inside the add-on runs from its staged copy */
  shownAs?: (file: string) => string;
  cwd?: string;
  /** how assert_matches_snapshot's renders are compared (as render steps are) */
  snapshots?: SnapshotSetting;
  onSnapshot?: (outcome: SnapshotOutcome) => void;
}

export interface UnitTestOutcome {
  results: StepResult[];
  notRun: NotRunStep[];
  /** the runner that ran (auto resolved), when the run got that far */
  runner: string | undefined;
  /** a test hung or Blender ended: the session cannot go on to the probes */
  sessionLost: boolean;
  /** how many tests the runner collected (the no-test rule is the whole run's: see nothingToTest) */
  collected: number;
  /** each file's time as the runner measured it (setup included), as reports name the file */
  fileTimes: FileTime[];
}

/** A test file and how long it took, setup and all: what a shard plan weighs it by. */
export interface FileTime {
  file: string;
  ms: number;
}

interface Collected {
  id: string;
  file: string;
  line: number;
}

/** A file that yields no runnable tests as it should (does not import; pytest-style under unittest). */
interface CollectionError {
  id: string;
  file: string;
  line: number;
  message: string;
  traceback: string | null;
}

export type Event =
  | { event: 'collected'; tests: Collected[]; errors: CollectionError[] }
  | { event: 'start'; id: string }
  | {
      event: 'result';
      id: string;
      file: string;
      line: number;
      outcome: 'passed' | 'failed' | 'error' | 'skipped';
      message: string | null;
      traceback: string | null;
      duration: number;
    }
  | { event: 'file'; file: string; duration: number }
  | { event: 'done'; runner: string }
  | { event: 'failed'; message: string; traceback: string }
  | { event: 'warning'; message: string }
  | { event: 'snapshot'; file: string; line: number; image: string; actual: string; threshold: number | null; max_diff_ratio: number | null };

/**
 * Runs the add-on's Python tests inside the session (the driver's control channel, op
 * "tests") and turns each into a result, as the runner reports it. The driver streams an
 * event per test; a test with no result within `timeoutMs` is reported as hanging (it still
 * holds Blender's main thread), a connection that drops is checked against Blender's exit.
 * Either way the tests not reached are "not run", never passed.
 */
export async function runUnitTests(run: UnitTestRun, onResult: (result: StepResult) => void): Promise<UnitTestOutcome> {
  const cwd = run.cwd ?? process.cwd();
  const shown = run.shownAs ?? ((file: string) => displayPath(path.resolve(file), cwd));
  const results: StepResult[] = [];
  const add = (result: StepResult) => {
    results.push(result);
    onResult(result);
  };
  const collected: Collected[] = [];
  let runner: string | undefined;
  let current: { id: string; since: number } | undefined;
  const finished = new Set<string>();
  const fileTimes: FileTime[] = [];
  /** the running test's renders (assert_matches_snapshot), compared when its result comes */
  let snapshots: Extract<Event, { event: 'snapshot' }>[] = [];

  /** The test that was running when the stream stopped answering: it failed, and how. */
  const failCurrent = (extra: Partial<StepResult>) => {
    if (!current) return;
    const { id, since } = current;
    const test = collected.find((t) => t.id === id);
    add(testResult(id, test ? shown(test.file) : '', test?.line ?? 1, false, { durationMs: performance.now() - since, ...extra }));
    finished.add(id);
  };
  const end = (sessionLost: boolean): UnitTestOutcome => ({
    results,
    notRun: notReached(collected, finished, shown),
    runner,
    sessionLost,
    collected: collected.length,
    fileTimes,
  });

  const stream =
    run.events ??
    (await EventStream.open(
      run.control!,
      controlRequestLine(run.control!.token, 'tests', {
        files: run.files.map((f) => path.resolve(f)),
        runner: run.runner,
        addon_state: run.installedOnly ? 'installed' : 'enabled',
        import_paths: run.importPaths ?? [],
        isolation: run.isolation ?? 'auto',
        script: run.script ? { path: path.resolve(cwd, run.script.path), args: run.script.args } : null,
        cwd,
      }),
    ));
  try {
    for (;;) {
      const next = await stream.next(current ? run.timeoutMs : undefined, run.signal);
      if (next.kind === 'timeout' && current) {
        failCurrent({
          failure: `no result within ${formatDuration(run.timeoutMs!)} (test-timeout); the test still holds Blender's main thread`,
          timedOut: true,
        });
        return end(true);
      }
      // Cancelled: the test that was running and the rest are not run (the run says it was cancelled).
      if (next.kind === 'cancelled') return end(true);
      if (next.kind === 'closed') {
        const ended = await run.serverEnded(SERVER_END_GRACE_MS);
        failCurrent({
          failure: ended ? `Blender ${ended} during this test` : "the driver's control channel closed during this test",
          blenderExited: ended !== undefined,
        });
        return end(true);
      }
      if (next.kind !== 'event') continue;
      const event = next.event;
      if (event.event === 'collected') {
        collected.push(...event.tests); // the scripts first, then the modules, then what a script's pytest collects
        for (const error of event.errors) {
          add(testResult(error.id, shown(error.file), error.line, false, { failure: error.message, ...(error.traceback ? { details: error.traceback } : {}) }));
        }
      } else if (event.event === 'start') {
        current = { id: event.id, since: performance.now() };
      } else if (event.event === 'snapshot') {
        snapshots.push(event);
      } else if (event.event === 'result') {
        current = undefined;
        finished.add(event.id);
        const failure = await snapshotFailure(snapshots, run, shown);
        snapshots = [];
        const result = fromEvent(event, shown);
        add(failure && result.passed && result.skipped === undefined ? { ...result, passed: false, failure } : result);
      } else if (event.event === 'file') {
        fileTimes.push({ file: shown(event.file), ms: event.duration * 1000 });
      } else if (event.event === 'warning') {
        run.onWarning?.(event.message);
      } else if (event.event === 'failed') {
        add(testResult('the test runner', run.files[0] ? shown(run.files[0]) : '', 1, false, { failure: event.message, details: event.traceback }));
        return end(false);
      } else {
        runner = event.runner;
        // Tests a failing setUpClass/setUpModule kept from running: not run, and said so.
        return end(false);
      }
    }
  } finally {
    stream.close();
  }
}

/** The first way a test's renders do not match their approved images (each compared as a render step's). */
async function snapshotFailure(
  events: Extract<Event, { event: 'snapshot' }>[],
  run: UnitTestRun,
  shown: (file: string) => string,
): Promise<string | undefined> {
  let first: string | undefined;
  for (const event of events) {
    if (!run.snapshots) return 'assert_matches_snapshot: renders are compared in a run of the action or the CLI';
    const at = `${shown(event.file)}:${event.line}`;
    const outcome = await checkSnapshot(
      event.actual,
      {
        probeFile: shown(event.file),
        line: event.line,
        image: event.image,
        threshold: event.threshold ?? DEFAULT_RULE.threshold,
        maxDiffRatio: event.max_diff_ratio ?? DEFAULT_RULE.maxDiffRatio,
      },
      run.snapshots,
    );
    run.onSnapshot?.(outcome);
    first ??= outcome.failure && `assert_matches_snapshot at ${at}: ${outcome.failure}`;
  }
  return first;
}

/** The result that stands for a run of test files that hold no test. */
export const NOTHING_COLLECTED = 'no tests collected';

/**
 * A run of test files that found no test at all fails, as pytest's does (exit code 5): a
 * green run that tested nothing is the worst kind. A file that failed to collect (or a runner
 * that failed) is a failed result already, so it says enough.
 */
export function nothingToTest(files: string[], tests: number, failures: number): string | undefined {
  if (tests > 0 || failures > 0 || files.length === 0) return undefined;
  const named = files.length <= 5 ? files.join(', ') : `${files.slice(0, 5).join(', ')} and ${files.length - 5} more`;
  return `the tests input matched ${files.length === 1 ? 'a file' : `${files.length} files`} (${named}) holding no test that the runner can collect, so nothing was tested`;
}

function fromEvent(event: Extract<Event, { event: 'result' }>, shown: (file: string) => string): StepResult {
  const passed = event.outcome === 'passed' || event.outcome === 'skipped';
  return testResult(event.id, shown(event.file), event.line, passed, {
    durationMs: event.duration * 1000,
    ...(event.outcome === 'skipped' ? { skipped: event.message ?? 'skipped' } : {}),
    ...(passed ? {} : { failure: event.outcome === 'error' ? `error: ${event.message ?? 'raised'}` : (event.message ?? 'failed') }),
    ...(event.traceback && !passed ? { details: event.traceback } : {}),
  });
}

/** A test's result, as every report reads it. */
export function testResult(id: string, file: string, line: number, passed: boolean, extra: Partial<StepResult>): StepResult {
  return { file, fileName: path.basename(file) || file, step: id, line, kind: 'test', passed, durationMs: 0, attempts: 1, ...extra };
}

function notReached(collected: Collected[], finished: Set<string>, shown: (file: string) => string): NotRunStep[] {
  return collected.filter((t) => !finished.has(t.id)).map((t) => ({ file: shown(t.file), fileName: path.basename(t.file), step: t.id, line: t.line }));
}

export type Next = { kind: 'event'; event: Event } | { kind: 'timeout' } | { kind: 'closed' } | { kind: 'cancelled' };

/** Where a run's test events come from: the next one, a timeout, the end (Blender gone), or cancellation. */
export interface TestEventSource {
  next(timeoutMs?: number, signal?: AbortSignal): Promise<Next>;
  close(): void;
}

/** One connection to the control channel, read as newline-delimited JSON events. */
class EventStream implements TestEventSource {
  private buffer = '';
  private readonly lines: string[] = [];
  private closed = false;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\n');
      this.buffer = parts.pop() ?? '';
      this.lines.push(...parts.filter((line) => line.trim() !== ''));
      this.wake?.();
    });
    const end = () => {
      this.closed = true;
      this.wake?.();
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static open(endpoint: ControlEndpoint, requestLine: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: endpoint.host, port: endpoint.port }, () => {
        socket.write(`${requestLine}\n`);
        resolve(new EventStream(socket));
      });
      socket.once('error', reject);
    });
  }

  /** The next event, or a timeout (when `timeoutMs` is given), or the end of the connection, or cancellation. */
  async next(timeoutMs?: number, signal?: AbortSignal): Promise<Next> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        try {
          return { kind: 'event', event: JSON.parse(line) as Event };
        } catch {
          continue; // not ours: the driver writes JSON only
        }
      }
      if (this.closed) return { kind: 'closed' };
      if (signal?.aborted) return { kind: 'cancelled' };
      const woken = await new Promise<'timeout' | 'cancelled' | undefined>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve('timeout'), timeoutMs);
        const cancel = () => resolve('cancelled');
        signal?.addEventListener('abort', cancel, { once: true });
        this.wake = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', cancel);
          resolve(undefined);
        };
      });
      this.wake = undefined;
      if (woken) return { kind: woken };
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
