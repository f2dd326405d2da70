import { expect, it } from 'vitest';
import { removeRunDir } from '../../src/session/run-dir.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURE_ADDON } from '../helpers/fixture-run.js';
import { startFixtureSession } from '../helpers/session.js';

// Windows has no SIGTERM: teardown asks the driver to stop over its control channel. That
// path runs here too (stopBy: 'control'), on real Blender, so it is not first run on a user's job.
describeOnEachBlender("stopping Blender the Windows way (the control channel's shutdown)", (blender) => {
  it('is graceful: the driver records the request, disables the add-on, and Blender exits 0', async () => {
    const { session, runDir } = await startFixtureSession({
      installation: { executable: blender.executable, version: blender.version, cacheHit: false },
      addonPath: FIXTURE_ADDON,
      mode: 'asyncio',
      stopBy: 'control',
    });
    try {
      await session.ready();
      const teardown = await session.stop();
      expect(teardown).toMatchObject({ kind: 'graceful', record: { stopping: 'control shutdown', clean: true }, exit: { exitCode: 0 }, leftovers: [] });
    } finally {
      await removeRunDir(runDir);
    }
  });

  it('a hanging unregister() is still killed after shutdown-timeout', async () => {
    const { session, runDir } = await startFixtureSession({
      installation: { executable: blender.executable, version: blender.version, cacheHit: false },
      addonPath: FIXTURE_ADDON,
      mode: 'unregister_hangs',
      stopBy: 'control',
      shutdownTimeoutMs: 1000,
    });
    try {
      await session.ready();
      expect(await session.stop()).toMatchObject({ kind: 'killed', record: { stopping: 'control shutdown' }, leftovers: [] });
    } finally {
      await removeRunDir(runDir);
    }
  });
});
