import { UserError } from '../errors.js';
import { type Version, parseVersion } from './version.js';

const RISKS = ['alpha', 'beta', 'candidate', 'stable'] as const;
export type Risk = (typeof RISKS)[number];

/** What `blender-version` asks for. */
export type VersionSpec =
  | { kind: 'exact'; version: Version }
  | { kind: 'series'; series: string }
  | { kind: 'latest' }
  | { kind: 'lts' }
  | { kind: 'daily'; series: string | undefined; risk: Risk | undefined }
  | { kind: 'system' };

const SPEC_HELP = 'use 4.2.3, 4.2, latest, lts, daily, 4.5-daily (optionally :alpha, :beta or :candidate) or system';

/**
 * "4.2.3" exact · "4.2" newest 4.2.x · "latest" newest stable · "lts" newest LTS series'
 * newest patch · "daily" / "4.5-daily" newest daily build of main / of the 4.5 branch,
 * ":beta" etc. to pick a risk · "system" = `blender` on PATH.
 */
export function parseVersionSpec(text: string, input = 'blender-version'): VersionSpec {
  const spec = text.trim().toLowerCase();
  if (spec === 'latest' || spec === 'stable') return { kind: 'latest' };
  if (spec === 'lts') return { kind: 'lts' };
  if (spec === 'system') return { kind: 'system' };
  const daily = /^(?:(\d+\.\d+)-)?daily(?::(\w+))?$/.exec(spec);
  if (daily) {
    const risk = daily[2];
    if (risk !== undefined && !(RISKS as readonly string[]).includes(risk)) {
      throw new UserError(`Input '${input}': '${text}' names no risk level; use :alpha, :beta, :candidate or :stable.`);
    }
    return { kind: 'daily', series: daily[1], risk: risk as Risk | undefined };
  }
  if (/^\d+\.\d+\.\d+$/.test(spec)) return { kind: 'exact', version: parseVersion(spec)! };
  if (/^\d+\.\d+$/.test(spec)) return { kind: 'series', series: spec };
  throw new UserError(`Input '${input}': '${text}' is not a Blender version spec; ${SPEC_HELP}.`);
}

export function describeSpec(spec: VersionSpec): string {
  switch (spec.kind) {
    case 'exact':
      return spec.version.join('.');
    case 'series':
      return `the newest ${spec.series}.x`;
    case 'latest':
      return 'the newest stable release';
    case 'lts':
      return 'the newest LTS release';
    case 'daily':
      return `the newest daily build of ${spec.series ? `the ${spec.series} branch` : 'main'}${spec.risk ? ` (${spec.risk})` : ''}`;
    case 'system':
      return "the system's Blender";
  }
}
