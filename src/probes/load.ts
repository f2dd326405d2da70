import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Node, type ParseError, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { parseDuration } from '../duration.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import { expandPatterns } from '../globs.js';
import { DEFAULT_LENGTH_PREFIX, type WireFormat } from './framing.js';
import { LineIndex } from './positions.js';
import { type PathSegment, parsePath } from './json-path.js';
import { isPlainObject } from './json-values.js';
import { checkPattern } from './operand-checks.js';
import { type McpTargetJson, type ProbeFileJson, ProbeFileSchema, type StepJson } from './schema.js';
import { STEP_KIND_NAMES, kindOfStep } from './steps/registry.js';
import type { McpTarget, ProbeFile, ProbeStep, ProbeSuite } from './suite.js';
import { references } from './template.js';
import { decodeUtf8, nestingProblem } from './text-checks.js';

/** Expands the `probes` globs, then reads and validates every file before anything runs. */
export async function loadProbeSuite(patterns: string[], cwd = process.cwd()): Promise<ProbeSuite> {
  const files = await expandPatterns(patterns, cwd, 'probes');
  const problems: string[] = [];
  const parsed: ProbeFile[] = [];
  for (const file of files) {
    const shownAs = displayPath(file, cwd);
    const bytes = await readFile(file).catch(() => {
      problems.push(`${shownAs}: cannot be read`);
      return undefined;
    });
    if (bytes === undefined) continue;
    const decoded = decodeUtf8(bytes);
    if ('problem' in decoded) {
      const { at, message } = decoded.problem;
      problems.push(`${shownAs}:${at.line}:${at.column}: ${message}`);
      continue;
    }
    const result = parseProbeFile(decoded.text, shownAs);
    if ('problems' in result) problems.push(...result.problems);
    else parsed.push(result.file);
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, listed below)` : '';
    throw new UserError(`Invalid probe file: ${problems[0]}${more}.`, problems.join('\n'));
  }
  return { files: parsed };
}

/** Parses one probe file: every problem in it at once, each as `file:line:col: what`. */
export function parseProbeFile(text: string, shownAs: string): { file: ProbeFile } | { problems: string[] } {
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const { line, column } = lines.positionAt(offset);
    return `${shownAs}:${line}:${column}`;
  };
  if (text.trim() === '') return { problems: [`${at(0)}: the file is empty`] };
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { problems: [`${shownAs}:${tooDeep.at.line}:${tooDeep.at.column}: ${tooDeep.message}`] };
  const syntaxErrors: ParseError[] = [];
  const root = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0 || !root) {
    const problems = syntaxErrors.map((e) => `${at(e.offset)}: JSON syntax error: ${describeSyntaxError(printParseErrorCode(e.error))}`);
    return { problems };
  }
  const raw: unknown = getNodeValue(root);
  const result = ProbeFileSchema.safeParse(raw);
  // Both kinds of problem at once: the semantic checks read the raw value defensively.
  const located = [
    ...(result.success ? [] : result.error.issues).map((issue) => {
      const { offset, missing } = locateIssue(root, issue);
      return { offset, message: describeIssue(issue, missing) };
    }),
    ...checkSemantics(raw).map(({ path: at_, message, atKey }) => ({ ...locate(root, at_, atKey), message })),
  ];
  if (located.length > 0 || !result.success) {
    located.sort((a, b) => a.offset - b.offset);
    return { problems: located.map(({ offset, message }) => `${at(offset)}: ${message}`) };
  }
  const json = result.data;
  const stepNodes = findNodeAtLocation(root, ['steps'])?.children ?? [];
  const targetNode = findNodeAtLocation(root, ['target']);
  return {
    file: {
      path: shownAs,
      name: json.name ?? path.basename(shownAs),
      target: {
        host: json.target?.host,
        port: json.target?.port,
        framing: wireFormat(json.target),
        connection: json.target?.connection ?? 'persistent',
        mcp: json.target?.mcp && mcpTarget(json.target.mcp),
        line: lines.positionAt(targetNode?.parent?.offset ?? 0).line,
      },
      vars: json.vars ?? {},
      steps: json.steps.map((step, index) => toProbeStep(step, lines.positionAt(stepNodes[index]?.offset ?? 0).line)),
    },
  };
}

const DEFAULT_RETRY_INTERVAL_MS = 500;

/** The target's framing, a length prefix's shape filled in from the defaults. */
function wireFormat(target: ProbeFileJson['target']): WireFormat {
  const framing = target?.framing ?? 'json';
  if (framing !== 'length-prefixed') return framing;
  return { ...DEFAULT_LENGTH_PREFIX, ...target?.lengthPrefix };
}

function mcpTarget(mcp: McpTargetJson): McpTarget {
  if (mcp.stdio !== undefined) return { kind: 'stdio', command: mcp.stdio, env: mcp.env ?? {} };
  return { kind: 'url', url: mcp.url!, transport: mcp.transport ?? 'streamable-http', headers: mcp.headers ?? {} };
}

function ms(duration: string | number): number {
  return typeof duration === 'number' ? duration : parseDuration(duration, 'ms')!;
}

function toProbeStep(step: StepJson, line: number): ProbeStep {
  // The one key that names the step's kind (the schema let exactly one through).
  const kind = kindOfStep(step)!;
  return {
    name: step.name,
    line,
    action: kind.action(step[kind.key as keyof StepJson], step),
    // A render step's expect names its approved image (the action carries it): nothing to match.
    expect: kind.matchesExpect ? step.expect : undefined,
    strict: step.strict ?? false,
    captures: Object.entries(step.capture ?? {}).map(([name, spec]) => {
      const { path: capturePath, regex } = typeof spec === 'string' ? { path: spec, regex: undefined } : spec;
      return { name, path: capturePath, segments: parsePath(capturePath) as PathSegment[], regex: regex === undefined ? undefined : new RegExp(regex) };
    }),
    retry: step.retry && {
      timeoutMs: ms(step.retry.timeout),
      intervalMs: step.retry.interval === undefined ? DEFAULT_RETRY_INTERVAL_MS : ms(step.retry.interval),
      attempts: step.retry.attempts,
      failIf: step.retry.failIf,
    },
    timeoutMs: step.timeout === undefined ? undefined : ms(step.timeout),
  };
}

/** `atKey`: point at the property's key (an operator's name), not at its value. */
type Problem = { path: (string | number)[]; message: string; atKey?: boolean };

/**
 * What zod cannot see: operators and their operands, capture paths and regexes, raw-framing
 * payloads, and {{name}} references to variables no earlier step defines.
 */
function checkSemantics(raw: unknown): Problem[] {
  if (!isPlainObject(raw)) return [];
  const json = raw as Partial<ProbeFileJson>;
  const problems: Problem[] = [];
  const defined = new Set(isPlainObject(json.vars) ? Object.keys(json.vars) : []);
  const framing = isPlainObject(json.target) ? json.target.framing : undefined;
  const hasMcp = isPlainObject(json.target) && json.target.mcp !== undefined;
  if (isPlainObject(json.target) && json.target.lengthPrefix !== undefined && framing !== 'length-prefixed') {
    problems.push({ path: ['target', 'lengthPrefix'], message: 'lengthPrefix applies only with "framing": "length-prefixed"', atKey: true });
  }
  (Array.isArray(json.steps) ? json.steps : []).forEach((value, index) => {
    if (!isPlainObject(value)) return;
    const step = value as Partial<StepJson>;
    const at_ = (...rest: (string | number)[]) => ['steps', index, ...rest];
    const failIf = isPlainObject(step.retry) ? step.retry.failIf : undefined;
    const kind = kindOfStep(step);
    for (const problem of kind?.check?.(step, { framing, hasMcp }) ?? []) problems.push({ ...problem, path: at_(...problem.path) });
    for (const [key, pattern] of kind && !kind.matchesExpect
      ? [['failIf', failIf] as const]
      : ([
          ['expect', step.expect],
          ['failIf', failIf],
        ] as const)) {
      const base = key === 'expect' ? at_('expect') : at_('retry', 'failIf');
      for (const problem of checkPattern(pattern)) problems.push({ path: [...base, ...problem.path], message: problem.message, atKey: true });
    }
    const used = [
      ...STEP_KIND_NAMES.flatMap((name) => references(step[name], at_(name))),
      ...references(step.expect, at_('expect')),
      ...references(failIf, at_('retry', 'failIf')),
    ];
    for (const { name, path: refPath } of used) {
      if (!name.startsWith('env.') && !defined.has(name)) {
        const known = [...defined].map((n) => `'${n}'`).join(', ') || 'none';
        problems.push({ path: refPath, message: `{{${name}}} is not defined by vars or an earlier step's capture (defined here: ${known})` });
      }
    }
    for (const [name, spec] of Object.entries(isPlainObject(step.capture) ? step.capture : {})) {
      const { path: capturePath, regex } =
        typeof spec === 'string' ? { path: spec, regex: undefined } : isPlainObject(spec) ? spec : { path: '$', regex: undefined };
      const parsed = parsePath(typeof capturePath === 'string' ? capturePath : '$');
      if (typeof parsed === 'string') problems.push({ path: at_('capture', name), message: `capture '${name}': the path ${parsed}` });
      if (typeof regex === 'string') {
        try {
          new RegExp(regex);
        } catch (error) {
          problems.push({ path: at_('capture', name, 'regex'), message: `capture '${name}': invalid regular expression: ${(error as Error).message}` });
        }
      }
      defined.add(name);
    }
  });
  return problems;
}

function locate(root: Node, segments: (string | number)[], atKey = false): { offset: number } {
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(root, segments.slice(0, depth));
    if (!node) continue;
    const property = atKey && depth === segments.length && node.parent?.type === 'property' ? node.parent : undefined;
    return { offset: (property ?? node).offset };
  }
  return { offset: 0 };
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
