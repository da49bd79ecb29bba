import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { packageRoot } from '../../src/migrate/package-paths.js';
import { databaseSuite } from '../support/database.js';

/** The runnable example of docs/client.md runs as written and prints what the database computed. */
const test = databaseSuite('example: escalating bot conversation');

test("prints live chat, the split durations, the derived cost, the CSAT and the day's bot-vs-live-chat KPIs", async ({
  connectionString,
}) => {
  const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        join(packageRoot, 'examples', 'escalating-bot-conversation.ts'),
      ],
      { env: { ...process.env, DATABASE_URL: connectionString }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.is(output.code, 0, output.stderr);
  const lines = output.stdout.trim().split('\n');
  assert.equal(lines.slice(1, 5), [
    '  counts as:        live_chat (started as bot, escalated: true)',
    '  bot / human time: 180 s / 420 s, queue 60 s',
    "  cost to serve:    5.98 EUR (derived from the channel's costs)",
    '  CSAT:             4',
  ]);
  // a fresh database: this conversation is the chatbot's whole day
  assert.equal(lines.slice(6), [
    '  bot vs live chat: 0 bot, 1 live chat',
    '  containment:      0 %, escalation 100 %',
    '  mean CSAT:        4.00',
  ]);
});

test.run();
