import { z } from 'zod';

/**
 * The UI check's events file, as python/blender_bg/ui/events.py writes it: one JSON object per
 * line, written as it happens. Read while Blender draws (a "drawing" with no "drawn" after it is
 * a draw still running) and after it exits (a last line cut short by a crash is left out).
 */
const Target = z.object({
  id: z.string(),
  kind: z.enum(['panel', 'menu', 'header', 'list', 'preferences', 'appended']),
  label: z.string(),
  space: z.string().nullable(),
  region: z.string().nullable(),
  context: z.string().nullable(),
  category: z.string().nullable(),
  parent: z.string().nullable(),
  host: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().nullable(),
});

export const UiEvent = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('window'),
    blender: z.string(),
    gl: z.object({ vendor: z.string(), renderer: z.string(), version: z.string() }).nullable(),
    ms: z.number(),
  }),
  z.object({ event: z.literal('waiting') }),
  z.object({ event: z.literal('inventory'), cycle: z.number(), targets: z.array(Target) }),
  z.object({ event: z.literal('drawing'), draw: z.string(), targets: z.array(z.string()), cycle: z.number() }),
  z.object({
    event: z.literal('drawn'),
    draw: z.string(),
    targets: z.array(z.string()),
    cycle: z.number(),
    ms: z.number(),
    image: z.string().nullable(),
    baseline: z.string().nullable(),
    crop: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  }),
  z.object({
    event: z.literal('error'),
    target: z.string(),
    cycle: z.number(),
    kind: z.enum(['raised', 'printed']),
    message: z.string(),
    file: z.string().nullable(),
    line: z.number().nullable(),
    function: z.string().nullable(),
    traceback: z.string().nullable(),
  }),
  z.object({
    event: z.literal('target'),
    target: Target,
    cycle: z.number(),
    drawn: z.boolean(),
    calls: z.number(),
    reason: z.string().nullable(),
    tried: z.string().nullable(),
  }),
  z.object({ event: z.literal('problem'), message: z.string(), traceback: z.string().nullish() }),
  z.object({ event: z.literal('testing'), files: z.array(z.string()) }),
  z.object({ event: z.literal('tested') }),
  z.object({ event: z.literal('done'), ms: z.number() }),
]);

export type UiEvent = z.infer<typeof UiEvent>;
export type UiTargetRecord = z.infer<typeof Target>;

/** Every whole line that is an event; a line cut short (Blender died writing it) or unknown is left out. */
export function parseUiEvents(text: string): UiEvent[] {
  const events: UiEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = UiEvent.safeParse(data);
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}

/** The draw that started and has not returned: what a hang or a crash is named by. */
export function drawInProgress(events: UiEvent[]): Extract<UiEvent, { event: 'drawing' }> | undefined {
  let open: Extract<UiEvent, { event: 'drawing' }> | undefined;
  for (const event of events) {
    if (event.event === 'drawing') open = event;
    else if (event.event === 'drawn' || event.event === 'done') open = undefined;
  }
  return open;
}
