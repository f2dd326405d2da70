import { formatDuration } from '../duration.js';
import { describeLeftover } from '../session/leftovers.js';
import type { BesideReport } from './beside-blender.js';

/** What fails the run in how the companion and the stdio MCP servers ended, one sentence each. */
export function besideProblems(report: BesideReport | undefined, shutdownTimeoutMs: number): string[] {
  if (!report) return [];
  const problems: string[] = [];
  const { companion } = report;
  if (companion?.endedEarly && !companion.failedToStart)
    problems.push(
      `The companion (${companion.command}) ${companion.endedEarly} before teardown; its last lines are in the details and its log (${companion.logPath}).`,
    );
  if (companion?.killed)
    problems.push(
      `The companion (${companion.command}) did not end within ${formatDuration(shutdownTimeoutMs)} of SIGTERM (shutdown-timeout), and its process group was killed.`,
    );
  if (report.leftovers.length > 0) {
    const count = report.leftovers.length;
    const whose = companion ? 'the companion' : 'the MCP server it started over stdio';
    problems.push(
      `${count} process${count > 1 ? 'es' : ''} outlived ${whose} and ${count > 1 ? 'were' : 'was'} killed: ${report.leftovers.map(describeLeftover).join('; ')}.`,
    );
  }
  if (report.unkillable.length > 0)
    problems.push(`These processes the companion or an MCP server left could not be removed: ${report.unkillable.map(describeLeftover).join('; ')}.`);
  return problems;
}
