import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KpiLine } from '../../src/report/kpi-report.js';
import { formatChange, formatValue } from '../../src/report/render-report.js';

/** How the report's table writes values and changes: units, signs after rounding. */

const line = (fields: Partial<KpiLine>): KpiLine => ({
  metricName: 'm',
  label: 'M',
  description: '',
  unit: 'fraction',
  higherIsBetter: true,
  value: null,
  previous: null,
  sample: 0,
  difference: null,
  relativeChange: null,
  verdict: null,
  ...fields,
});

test('values in their units; money below zero with its sign first', () => {
  assert.equal(
    [
      formatValue(0.8431, 'fraction'),
      formatValue(125, 'seconds'),
      formatValue(22.5, 'seconds'),
      formatValue(3.4, 'score_1_5'),
      formatValue(-25, 'nps'),
      formatValue(12, 'nps'),
      formatValue(1234.5, 'currency'),
      formatValue(-30, 'currency'),
      formatValue(null, 'currency'),
    ],
    ['84.3 %', '2:05 min', '23 s', '3.40 / 5', '-25', '+12', '€ 1,234.50', '-€ 30.00', '–'],
  );
});

test('changes: points for rates, a difference for scores, percent for amounts; no -0.0', () => {
  assert.equal(
    [
      formatChange(line({ difference: 0.05, verdict: 'better' })),
      formatChange(line({ difference: -0.0000004, verdict: 'worse' })),
      formatChange(line({ unit: 'nps', difference: -3.004, verdict: 'worse' })),
      formatChange(line({ unit: 'score_1_5', difference: -0.001, verdict: 'same' })),
      formatChange(line({ unit: 'count', difference: 5, relativeChange: -0.00001, verdict: null })),
      formatChange(line({ unit: 'count', difference: 5, relativeChange: null })),
      formatChange(line({ difference: null })),
    ],
    ['+5.0 pts ▲', '+0.0 pts ▼', '-3.00 ▼', '+0.00', '+0.0 %', '–', '–'],
  );
});

test.run();
