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
    const shownAs = path.relative(cwd, file) || file;
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
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0 || !root) {
    const problems = syntaxErrors.map((e) => `${at(e.offset)}: JSON syntax error: ${describeSyntaxError(printParseErrorCode(e.error))}`);
    return { problems: problems.length > 0 ? problems : [`${at(0)}: the file is empty`] };
  }
  const result = ProbeFileSchema.safeParse(getNodeValue(root));
  if (!result.success) {
    return { problems: result.error.issues.map((issue) => `${at(issueOffset(root, issue))}: ${describeIssue(issue)}`) };
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

/** Where an issue points: the offending key for unknown keys, else the deepest node on its path. */
function issueOffset(root: Node, issue: z.core.$ZodIssue): number {
  const segments = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, segments.slice(0, depth));
    if (!node) continue;
    if (issue.code === 'unrecognized_keys' && node.type === 'object') {
      const property = node.children?.find((p) => p.children?.[0]?.value === issue.keys[0]);
      if (property) return property.offset;
    }
    return node.offset;
  }
  return 0;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `${where}: is required`;
  }
  return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

function formatPath(segments: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of segments) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'the file' : text;
}
