import { describe, expect, it } from 'vitest';
import { joinFlagValues, parseCommandLine } from '../../../src/inputs/cli-args.js';

/** The terminal command writes its HTML report unless told where (html-report's cliDefault). */
const HTML_DEFAULT = { 'html-report': ['blender-bg-report'] };

describe('the command line', () => {
  it('a value that starts with "-" belongs to its flag, spelled either way', () => {
    expect(parseCommandLine(['--addon', 'a', '--blender-args', '--online-mode'])).toMatchObject({ 'blender-args': ['--online-mode'] });
    expect(parseCommandLine(['--addon', 'a', '--blender-args=--online-mode --debug-python'])).toMatchObject({
      'blender-args': ['--online-mode --debug-python'],
    });
    expect(parseCommandLine(['--addon', 'a', '--env', '-X=1', '--probes', '-odd-name.json'])).toMatchObject({ env: ['-X=1'], probes: ['-odd-name.json'] });
  });

  it('joins only flags that take a value, and leaves a last flag without one for parseArgs to name', () => {
    expect(joinFlagValues(['--help', '--port', '-1', '--junit', 'out.xml'])).toEqual(['--help', '--port=-1', '--junit=out.xml']);
    expect(joinFlagValues(['--port=6688', '--addon'])).toEqual(['--port=6688', '--addon']);
    expect(() => parseCommandLine(['--addon'])).toThrow(/--addon/);
  });

  it('list flags repeat, --junit is --junit-path, and versions is a subcommand', () => {
    expect(parseCommandLine(['--addon', 'a', '--probes', 'x.json', '--probes', 'y.json', '--junit', 'r.xml'])).toEqual({
      addon: ['a'],
      probes: ['x.json', 'y.json'],
      'junit-path': ['r.xml'],
      ...HTML_DEFAULT,
    });
    expect(parseCommandLine(['versions', '>=4.2 lts', '--mirror', 'https://m/release'])).toMatchObject({
      mode: 'versions',
      versions: '>=4.2 lts',
      mirror: ['https://m/release'],
    });
    expect(parseCommandLine(['--help'])).toBe('help');
  });

  it('report is a subcommand: the result files, then flags', () => {
    expect(parseCommandLine(['report', 'results/*.json', 'more/r.json', '--junit', 'all.xml'])).toEqual({
      mode: 'report',
      results: ['results/*.json', 'more/r.json'],
      'junit-path': ['all.xml'],
      ...HTML_DEFAULT,
    });
    expect(() => parseCommandLine(['report', '--junit', 'x.xml'])).toThrow("report needs result files, e.g. report 'results/*.json'");
  });

  it('--watch and --quiet are switches wherever they stand, and a value when a flag takes them as one', () => {
    expect(parseCommandLine(['--watch', '--addon', 'a', '--quiet'])).toEqual({ watch: ['true'], addon: ['a'], quiet: ['true'], ...HTML_DEFAULT });
    // Cut out of argv before parsing, as they once were, these would have lost blender-args its value.
    expect(parseCommandLine(['--addon', 'a', '--blender-args', '--watch'])).toEqual({ addon: ['a'], 'blender-args': ['--watch'], ...HTML_DEFAULT });
    expect(parseCommandLine(['--blender-args', '--quiet', '--watch'])).toEqual({ 'blender-args': ['--quiet'], watch: ['true'], ...HTML_DEFAULT });
    expect(parseCommandLine(['--html-report', 'out/report'])).toEqual({ 'html-report': ['out/report'] }); // the CLI's default only when not given
  });

  it('an unknown flag is parseArgs’s own sentence, naming it', () => {
    expect(() => parseCommandLine(['--prot', '1'])).toThrow("Unknown option '--prot'");
  });
});

describe('--help', () => {
  it('groups the flags by what they are about, wraps to the width, and ends with four examples', async () => {
    const { usage, wrap } = await import('../../../src/inputs/cli-args.js');
    const { INPUTS } = await import('../../../src/inputs/declarations.js');
    const text = usage(80);
    expect(text.split('\n').filter((line) => line.length > 80)).toEqual([]);
    const headings = text.split('\n').filter((line) => /^[A-Z][\w-]*:$/.test(line));
    expect(headings).toEqual(['Blender:', 'Add-on:', 'Session:', 'Probes:', 'Tests:', 'Reports:', 'Modes:', 'Other:', 'Examples:']);
    for (const name of Object.keys(INPUTS)) expect(text).toContain(`--${name} `);
    expect(text.indexOf('\n  --blender-version')).toBeLessThan(text.indexOf('\n  --addon '));
    expect(text.match(/^ {4}blender-bg-action( |$)/gm)).toHaveLength(4);
    expect(usage(120).split('\n').length).toBeLessThan(text.split('\n').length);
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', '  three', '  four']);
  });

  it('--version is a flag of its own', () => {
    expect(parseCommandLine(['--version'])).toBe('version');
  });
});
