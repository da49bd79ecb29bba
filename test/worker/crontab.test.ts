import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { crontab, parsedCrontab } from '../../src/worker/crontab.js';
import { taskIdentifiers } from '../../src/worker/task-list.js';

const test = suite('the crontab and the task list');

test('every task is named <subject>__<action>', () => {
  for (const task of taskIdentifiers) assert.match(task, /^[a-z][a-z_]*[a-z]__[a-z][a-z_]*[a-z]$/);
});

test('the crontab parses, and runs only tasks of the task list: the refresh each minute, the rest periodically', () => {
  const items = parsedCrontab();
  assert.equal(
    items.map((item) => item.task),
    [
      'metrics__refresh',
      'thresholds__check',
      'thresholds__check',
      'materialized_views__refresh',
      'capacity__refresh',
      'capacity__refresh',
      'performance__refresh',
      'cx_scores__compute',
      'partitions__create_ahead',
    ],
  );
  // every task of the list runs from the crontab, so none depends on a job someone else adds
  assert.equal(new Set(items.map((item) => item.task)), new Set(taskIdentifiers));
  for (const item of items) assert.ok(taskIdentifiers.includes(item.task as never), item.task);
  assert.match(crontab, /^\* \* \* \* \* metrics__refresh /m);
  assert.match(crontab, /^\d+ \d+ \* \* \* partitions__create_ahead /m);
});

test('a malformed crontab line fails when parsed, not when it would have run', () => {
  assert.throws(() => parsedCrontab('* * * * metrics__refresh'));
});

test.run();
