import { BLENDER_ORG, DEFAULT_SOURCES, type Sources } from './resolve.js';

/**
 * The sources for a run: blender.org first, then the `mirror` inputs. Air-gapped runners
 * (and the tests, which cannot reach blender.org) replace the defaults with
 * BLENDER_BG_RELEASE_URL, BLENDER_BG_DAILY_URL and BLENDER_BG_VERSIONS_URL.
 */
export function sourcesFor(mirrors: string[], env: NodeJS.ProcessEnv = process.env): Sources {
  const primary = env['BLENDER_BG_RELEASE_URL']?.replace(/\/+$/, '') || BLENDER_ORG;
  return {
    releaseMirrors: [primary, ...mirrors.filter((m) => m !== primary)],
    dailyUrl: env['BLENDER_BG_DAILY_URL'] || DEFAULT_SOURCES.dailyUrl,
    versionsUrl: env['BLENDER_BG_VERSIONS_URL'] || DEFAULT_SOURCES.versionsUrl,
  };
}
