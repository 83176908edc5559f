// Images and compaction: an old tool's images go when its output is masked, a summarised span takes its images
// with it, and nothing compacted away is ever sent again; recent images and the task's own stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskObservations } from '../../../../extension/core/context/compaction/masking.js';
import { compact } from '../../../../extension/core/context/compaction/compactor.js';
import type { ChatMessage, ImageAttachment } from '../../../../extension/core/model/types.js';
import { estimateMessagesTokens } from '../../../../extension/core/model/tokens.js';

const image = (name: string): ImageAttachment => ({ path: `/home/images/${name}`, mimeType: 'image/png', bytes: 1000, name, width: 1024, height: 1024 });

function history(turns: number): ChatMessage[] {
  const out: ChatMessage[] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'task', origin: 'task', images: [image('task.png')] },
  ];
  for (let t = 0; t < turns; t++) {
    out.push({ role: 'assistant', content: null, toolCalls: [{ id: `c${t}`, name: 'shots__take', arguments: '{}' }] });
    out.push({ role: 'tool', toolCallId: `c${t}`, content: 'x'.repeat(800) });
    out.push({ role: 'user', content: 'The images returned by shots.take in the tool results above:', origin: 'tool-image', images: [image(`shot${t}.png`)] });
  }
  return out;
}

const imagesIn = (messages: ChatMessage[]) => messages.flatMap((m) => (m.role === 'user' ? (m.images ?? []).map((i) => i.name) : []));

test('masking: images of old turns are elided with a note naming them; recent ones and the protected task keep theirs', () => {
  const messages = history(5);
  const masked = maskObservations(messages, { protectedCount: 2, keepRecentTurns: 2, minTokens: 100 });
  assert.deepEqual(imagesIn(masked.messages), ['task.png', 'shot3.png', 'shot4.png']);
  const note = masked.messages.find((m) => m.role === 'user' && m.content.includes('shot0.png'))!;
  assert.match(String(note.content), /\[an image \(shot0\.png\) elided from the context\]/);
  assert.equal(masked.elided, 3 + 3, 'three outputs and three image messages');
  assert.ok(estimateMessagesTokens(masked.messages) < estimateMessagesTokens(messages) - 3 * 700);
});

test('summarising: the span replaced by a summary takes its images with it', async () => {
  const messages = history(8);
  const result = await compact(
    { messages, protectedCount: 2, agentId: 'main', step: 9, signal: new AbortController().signal, summarize: async () => ({ text: 'took screenshots' }) },
    { budgetTokens: 2000, keepRecentTurns: 1, summaryKeepTurns: 1, minSummaryTurns: 2 },
  );
  assert.ok(result.actions.some((a) => a.kind === 'summarized'), JSON.stringify(result.actions));
  assert.deepEqual(imagesIn(result.messages), ['task.png', 'shot7.png']);
});
