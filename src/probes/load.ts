import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Node, type ParseError, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { z } from 'zod';
import { parseDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { positionAt } from './positions.js';
import { ProbeFileSchema } from './schema.js';
import type { ProbeFile, ProbeSuite } from './suite.js';

/** Expands the `probes` globs, then reads and validates every file before anything runs. */
export async function loadProbeSuite(patterns: string[], cwd = process.cwd()): Promise<ProbeSuite> {
  const files = await expandPatterns(patterns, cwd);
  const problems: string[] = [];
  const parsed: ProbeFile[] = [];
  for (const file of files) {
    const shownAs = displayPath(file, cwd);
    const text = await readFile(file, 'utf8').catch(() => {
      problems.push(`${shownAs}: cannot be read`);
      return undefined;
    });
    if (text === undefined) continue;
    const result = parseProbeFile(text, shownAs);
    if ('problems' in result) problems.push(...result.problems);
    else parsed.push(result.file);
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, listed below)` : '';
    throw new UserError(`Invalid probe file: ${problems[0]}${more}.`, problems.join('\n'));
  }
  return { files: parsed };
}

/** Relative to the working directory when inside it (what annotations want), else absolute. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

async function expandPatterns(patterns: string[], cwd: string): Promise<string[]> {
  const seen = new Set<string>();
  for (const pattern of patterns) {
    const matches = (await glob(pattern, { cwd, absolute: true, onlyFiles: true })).sort();
    if (matches.length === 0) {
      const why = isDynamicPattern(pattern) ? 'matches no files' : 'does not exist';
      throw new UserError(`Input 'probes': '${pattern}' ${why} (relative to ${cwd}).`);
    }
    for (const match of matches) seen.add(path.normalize(match));
  }
  return [...seen];
}

/** Parses one probe file: every problem in it at once, each as `file:line:col: what`. */
export function parseProbeFile(text: string, shownAs: string): { file: ProbeFile } | { problems: string[] } {
  const at = (offset: number) => {
    const { line, column } = positionAt(text, offset);
    return `${shownAs}:${line}:${column}`;
  };
  if (text.trim() === '') return { problems: [`${at(0)}: the file is empty`] };
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0 || !root) {
    const problems = syntaxErrors.map((e) => `${at(e.offset)}: JSON syntax error: ${describeSyntaxError(printParseErrorCode(e.error))}`);
    return { problems };
  }
  const result = ProbeFileSchema.safeParse(getNodeValue(root));
  if (!result.success) {
    const located = result.error.issues.map((issue) => ({ issue, ...locateIssue(root, issue) }));
    located.sort((a, b) => a.offset - b.offset);
    return { problems: located.map(({ issue, offset, missing }) => `${at(offset)}: ${describeIssue(issue, missing)}`) };
  }
  const json = result.data;
  const stepNodes = findNodeAtLocation(root, ['steps'])?.children ?? [];
  return {
    file: {
      path: shownAs,
      name: json.name ?? path.basename(shownAs),
      target: { host: json.target?.host, port: json.target?.port, framing: json.target?.framing ?? 'json' },
      steps: json.steps.map((step, index) => ({
        name: step.name,
        line: positionAt(text, stepNodes[index]?.offset ?? 0).line,
        send: step.send,
        expect: step.expect,
        timeoutMs: step.timeout === undefined ? undefined : typeof step.timeout === 'number' ? step.timeout : parseDuration(step.timeout, 'ms'),
      })),
    },
  };
}

function describeSyntaxError(code: string): string {
  // jsonc-parser's codes are PascalCase names: "CommaExpected" → "comma expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Where an issue points: the offending key for unknown keys, else the deepest node on its
 * path. `missing` says the path's last key is absent (a required key left out).
 */
function locateIssue(root: Node, issue: z.core.$ZodIssue): { offset: number; missing: boolean } {
  const segments = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, segments.slice(0, depth));
    if (!node) continue;
    if (issue.code === 'unrecognized_keys' && node.type === 'object') {
      const property = node.children?.find((p) => p.children?.[0]?.value === issue.keys[0]);
      if (property) return { offset: property.offset, missing: false };
    }
    return { offset: node.offset, missing: depth < segments.length };
  }
  return { offset: 0, missing: false };
}

function describeIssue(issue: z.core.$ZodIssue, missing: boolean): string {
  if (issue.code === 'unrecognized_keys') {
    return `${formatPath(issue.path)}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (missing) {
    const key = issue.path[issue.path.length - 1];
    return `${formatPath(issue.path.slice(0, -1))}: '${String(key)}' is required`;
  }
  return `${formatPath(issue.path)}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

function formatPath(segments: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of segments) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'the file' : text;
}
