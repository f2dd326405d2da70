import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileEventSource } from '../../../src/ui-check/test-events.js';

describe('FileEventSource', () => {
  it('each whole line as it is written, a line written in two pieces once; the end once the writer has exited', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-test-events-')), 'tests.jsonl');
    let exited = false;
    const source = new FileEventSource(file, () => exited);
    expect(await source.next(100)).toEqual({ kind: 'timeout' }); // not written yet
    await writeFile(file, '{"event": "start", "id": "a"}\n{"event": "res');
    expect(await source.next(1000)).toEqual({ kind: 'event', event: { event: 'start', id: 'a' } });
    expect(await source.next(100)).toEqual({ kind: 'timeout' });
    await appendFile(file, 'ult", "id": "a"}\n');
    expect(await source.next(1000)).toEqual({ kind: 'event', event: { event: 'result', id: 'a' } });
    await appendFile(file, '{"event": "done", "runner": "unittest"}\n');
    exited = true;
    expect(await source.next()).toEqual({ kind: 'event', event: { event: 'done', runner: 'unittest' } }); // written before it exited
    expect(await source.next()).toEqual({ kind: 'closed' });
  });

  it('cancellation stops the wait', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-test-events-')), 'tests.jsonl');
    const controller = new AbortController();
    const source = new FileEventSource(file, () => false);
    setTimeout(() => controller.abort(), 50);
    expect(await source.next(undefined, controller.signal)).toEqual({ kind: 'cancelled' });
  });
});
