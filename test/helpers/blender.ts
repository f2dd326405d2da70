import { execFileSync } from 'node:child_process';

/** Whether `blender` runs here. Looked up once per test file. */
export const blenderAvailable = (() => {
  try {
    execFileSync('blender', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Integration tests run when Blender is there. Under CI=true they always run, so a missing
 * Blender fails them (locateBlender's error) instead of skipping them silently.
 */
export const skipWithoutBlender = !blenderAvailable && process.env['CI'] !== 'true';
