import { describe, expect, it } from 'vitest';
import { callDocument, errorWithoutIsError, outputSchemaProblem, textOf, toolSchemaProblems, unexpectedToolError } from '../../../src/probes/mcp-checks.js';

const SCENE = {
  type: 'object',
  properties: { name: { type: 'string' }, objects: { type: 'array', items: { type: 'object', properties: { size: { type: 'number' } } } } },
  required: ['name'],
};

describe('toolSchemaProblems', () => {
  it('passes object schemas, 2020-12 by default and draft-07 when they say so', () => {
    expect(
      toolSchemaProblems([
        {
          name: 'a',
          inputSchema: {
            type: 'object',
            properties: { n: { type: 'integer' }, pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] } },
          },
        },
        { name: 'b', inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, outputSchema: SCENE },
      ]),
    ).toEqual([]);
  });

  it('names the tool and the schema that a client cannot read', () => {
    expect(
      toolSchemaProblems([
        { name: 'no_schema' },
        { name: 'not_object', inputSchema: { type: 'string' } },
        { name: 'bad_type', inputSchema: { type: 'object', properties: { n: { type: 'nope' } } } },
        { name: 'bad_output', inputSchema: { type: 'object' }, outputSchema: { type: 'object', required: 'name' } },
      ]),
    ).toEqual([
      'tool \'no_schema\': its inputSchema must be a JSON Schema with "type": "object", got nothing',
      'tool \'not_object\': its inputSchema must be a JSON Schema with "type": "object", got {"type":"string"}',
      expect.stringMatching(
        /^tool 'bad_type': its inputSchema is not a valid JSON Schema: schema is invalid: data\/properties\/n\/type must be equal to one of the allowed values/,
      ),
      expect.stringMatching(/^tool 'bad_output': its outputSchema is not a valid JSON Schema: schema is invalid: data\/required must be array/),
    ]);
  });
});

describe('outputSchemaProblem', () => {
  const tool = { name: 'scene', inputSchema: { type: 'object' }, outputSchema: SCENE };

  it('names the path that breaks the outputSchema', () => {
    expect(outputSchemaProblem(tool, { structuredContent: { name: 'S', objects: [{ size: 1 }, { size: 'big' }] } })).toBe(
      "structuredContent.objects[1].size does not match tool 'scene''s outputSchema: must be number",
    );
    expect(outputSchemaProblem(tool, { structuredContent: { objects: [] } })).toBe(
      "structuredContent does not match tool 'scene''s outputSchema: must have required property 'name' (name)",
    );
  });

  it('needs structuredContent when there is an outputSchema, unless the tool failed', () => {
    expect(outputSchemaProblem(tool, { content: [] })).toBe("tool 'scene' declares an outputSchema but returned no structuredContent");
    expect(outputSchemaProblem(tool, { content: [], isError: true })).toBeUndefined();
  });

  it('passes a valid result, and a tool without an outputSchema', () => {
    expect(outputSchemaProblem(tool, { structuredContent: { name: 'S' } })).toBeUndefined();
    expect(outputSchemaProblem({ name: 'free' }, { structuredContent: { anything: 1 } })).toBeUndefined();
    expect(outputSchemaProblem(undefined, { structuredContent: 1 })).toBeUndefined();
  });
});

describe('the document a call step matches', () => {
  it('joins the text content and parses it as JSON where it is JSON', () => {
    const result = {
      content: [
        { type: 'text', text: '{"objects": 3}' },
        { type: 'image', data: 'x', mimeType: 'image/png' },
      ],
    };
    expect(callDocument(result, 2)).toEqual({ ...result, isError: false, text: '{"objects": 3}', json: { objects: 3 }, progress: 2 });
  });

  it('leaves json out when the text is not JSON', () => {
    expect(callDocument({ content: [{ type: 'text', text: 'Scene has 3 objects' }], isError: true }, 0)).toEqual({
      content: [{ type: 'text', text: 'Scene has 3 objects' }],
      isError: true,
      text: 'Scene has 3 objects',
      progress: 0,
    });
    expect(
      textOf({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toBe('a\nb');
  });
});

describe('isError', () => {
  it('fails a step unless its expect says what isError should be', () => {
    const failed = { content: [{ type: 'text', text: 'No object named Nope' }], isError: true };
    expect(unexpectedToolError(failed, undefined)).toBe('the tool failed (isError: true): "No object named Nope"');
    expect(unexpectedToolError(failed, { text: 'x' })).toBe('the tool failed (isError: true): "No object named Nope"');
    expect(unexpectedToolError(failed, { isError: true })).toBeUndefined();
    expect(unexpectedToolError({ content: [] }, undefined)).toBeUndefined();
  });

  it('spots a failure told only in words', () => {
    expect(errorWithoutIsError({ content: [{ type: 'text', text: 'Error: no camera' }] })).toBe(true);
    expect(errorWithoutIsError({ content: [{ type: 'text', text: 'error rendering' }] })).toBe(true);
    expect(errorWithoutIsError({ content: [{ type: 'text', text: 'Error: no camera' }], isError: true })).toBe(false);
    expect(errorWithoutIsError({ content: [{ type: 'text', text: 'Errors found: 0' }] })).toBe(false);
    expect(errorWithoutIsError({ content: [{ type: 'text', text: 'No errors' }] })).toBe(false);
  });
});
