/**
 * The ledger: one hand-built care operation of two days that gives every metric of cx.metrics a
 * value, written through the typed client as an application would, with every value computed by
 * hand below. test/metrics/every-interface.test.ts asserts it through cx.metric_values, the client
 * and `carepulse report` (JSON and CSV); a change to any definition shows there.
 *
 * Days D1 = 2026-11-16 and D2 = 2026-11-17 (UTC, the default reporting time zone). Channels:
 * chatbot (bot 0.01, human 0.85 EUR a minute, service level target 60 s) and voice_call (bot 0,
 * human 1.10, target 20 s); the short-abandon grace is 5 s; the repeat window 7 days. Agents: H, a
 * human with status history (available D1 09:00-11:00) who chats with two customers at once, and K,
 * a human without any status history.
 *
 * | contact | day, channel | start -> mode | how it ended | steps | cost | feedback |
 * |---|---|---|---|---|---|---|
 * | I1 C1 billing | D1 chatbot | bot -> bot | completed, resolved; not first-contact (V2 repeats it on voice) | bot 09:00-09:03 (180 s) | 0.03 | CSAT 5, NPS 10, CES 7 |
 * | I2 C2 tech | D1 chatbot | bot -> bot | abandoned, unresolved: a bot session left | bot 09:10-09:12 (120 s) | 0.02 | CSAT 1, NPS 2 |
 * | I3 C3 billing | D1 chatbot | bot -> live chat (escalated) | completed, resolved, first-contact | bot 10:00-10:02 (120 s), queue 10:02-10:03 (60 s, at the target), H 10:03-10:08 (300 s), H wrap-up 10:08-10:09 (60 s) | (120 x 0.01 + 360 x 0.85) / 60 = 5.12 | CSAT 4, NPS 8 |
 * | I4 C4 tech | D1 chatbot | bot -> live chat (escalated) | abandoned in the queue, never answered | bot 11:00-11:01 (60 s), queue 11:01-11:03 (120 s) | 0.01 | |
 * | I5 C5 (no type) | D1 chatbot | live chat | completed, resolved, first-contact | H 10:05-10:15 (600 s, while H also has I3: concurrent) | 8.50 | CSAT 3 |
 * | I6 C6 billing | D1 chatbot | live chat | abandoned after 3 s in the queue: a short abandon | queue 12:00:00-12:00:03 | 0 | |
 * | V1 C2 tech | D1 voice_call | live chat | completed, resolved, first-contact (X1 is just outside the window) | queue 13:00:00-13:00:30 (30 s, over the target), K 13:00:30-13:05:30 (300 s), K hold 13:05:30-13:06:30 (60 s) | 6.60 | CSAT 4, CES 5 |
 * | V2 C1 billing | D2 voice_call | live chat | completed, unresolved | K 10:00-10:04 (240 s, answered at once) | 4.40 | NPS 6 |
 * | V3 C7 tech | D2 voice_call | IVR -> IVR | failed | bot 11:00-11:01 (60 s) | 0 | |
 * | X1 C2 tech | 2026-11-23 chatbot | live chat | completed, resolved; starts exactly 7 days after V1 ended | H 13:06:30-13:10:30 | | |
 *
 * Journeys (by day and entry channel): J1 of C1, D1 08:00, enters on web_app: web_app page view,
 * web_app form with friction, chatbot message; completed, goal achieved, rated 4. J2 of C3, D1
 * 09:55, enters on chatbot: chatbot chat, mobile_app screen; abandoned, rated 2. J3 of C8, D2
 * 07:00, enters on web_app: one page view; still in progress. No journey enters on voice_call.
 *
 * Outcomes (by the day recorded and the channel of their contact): O1 sale 50 on I3 recorded D1;
 * O4 upsell 15 on I5 recorded D2; O2 retention 20 on V1 recorded D2 (a day after its contact); O3
 * churn -30 on V2 recorded D2.
 */
import type { CarepulseClient } from '../../src/client/connect.js';
import type { IngestInteraction, IngestResult, IngestStep } from '../../src/client/ingest.js';
import type { InteractionRef } from '../../src/client/interactions.js';

export const D1 = '2026-11-16';
export const D2 = '2026-11-17';

/** [value, sample]: what cx.metric_values gives, rounded to 6 decimals as it rounds. */
export type Cell = [value: number | null, sample: number];

/**
 * Interaction metrics, one column per group:
 * [period, D1, D2, chatbot, voice_call, D1 voice_call]. Day and channel together: D1 chatbot is
 * the chatbot column (chatbot has contacts on D1 only) and D2 voice_call the D2 column.
 *
 * The counts behind them, per column: interactions 9, 7, 2, 6, 3, 1; completed 5, 4, 1, 3, 2, 1
 * (I1 I3 I5 V1 V2), of which resolved 4, 4, 0, 3, 1, 1; first-contact resolved I3 I5 V1; bot-started
 * I1-I4 (4 on chatbot), contained I1 I2, escalated I3 I4; queued I3 I4 I6 V1; answered by a human
 * I3 I5 V1 V2 (2 after a queue: I3 60 s, V1 30 s); abandoned in the queue I4 (after the grace) and
 * I6 (within it); costs 13.68 on chatbot, 6.60 and 4.40 on voice_call.
 */
// biome-ignore format: a table, its columns aligned for reading
export const INTERACTION_METRICS: Record<string, Cell[]> = {
  //                          period            D1                D2              chatbot           voice_call        D1 voice_call
  interactions:              [[9, 9],          [7, 7],           [2, 2],         [6, 6],           [3, 3],           [1, 1]],
  // mode bot: I1, I2; n interactions
  bot_interactions:          [[2, 9],          [2, 7],           [0, 2],         [2, 6],           [0, 3],           [0, 1]],
  // mode live chat: I3 I4 I5 I6 V1 V2
  live_chat_interactions:    [[6, 9],          [5, 7],           [1, 2],         [4, 6],           [2, 3],           [1, 1]],
  // bot / (bot + live chat): V3 (IVR) is neither: 2/8, 2/7, 0/1, 2/6, 0/2, 0/1
  bot_share:                 [[0.25, 8],       [0.285714, 7],    [0, 1],         [0.333333, 6],    [0, 2],           [0, 1]],
  // I3, I4 of 4 bot-started
  escalations:               [[2, 4],          [2, 4],           [0, 0],         [2, 4],           [0, 0],           [0, 0]],
  // I1, I2 of 4 (I2 was left: contained all the same)
  containment_rate:          [[0.5, 4],        [0.5, 4],         [null, 0],      [0.5, 4],         [null, 0],        [null, 0]],
  // I1 of 4
  bot_resolution_rate:       [[0.25, 4],       [0.25, 4],        [null, 0],      [0.25, 4],        [null, 0],        [null, 0]],
  escalation_rate:           [[0.5, 4],        [0.5, 4],         [null, 0],      [0.5, 4],         [null, 0],        [null, 0]],
  // I3 of I3, I4
  escalation_answered_rate:  [[0.5, 2],        [0.5, 2],         [null, 0],      [0.5, 2],         [null, 0],        [null, 0]],
  // I4; n escalated
  queue_abandoned_after_escalation: [[1, 2],   [1, 2],           [0, 0],         [1, 2],           [0, 0],           [0, 0]],
  // I2 of 4
  bot_abandonment_rate:      [[0.25, 4],       [0.25, 4],        [null, 0],      [0.25, 4],        [null, 0],        [null, 0]],
  // resolved / completed: 4/5, 4/4, 0/1 (V2), 3/3, 1/2, 1/1
  success_rate:              [[0.8, 5],        [1, 4],           [0, 1],         [1, 3],           [0.5, 2],         [1, 1]],
  // first-contact / resolved: 3/4, 3/4, none, 2/3 (I1 repeated on voice), 1/1, 1/1
  fcr_rate:                  [[0.75, 4],       [0.75, 4],        [null, 0],      [0.666667, 3],    [1, 1],           [1, 1]],
  // first-contact / every contact that ended: 3/9, 3/7, 0/2, 2/6, 1/3, 1/1
  fcr_contact_rate:          [[0.333333, 9],   [0.428571, 7],    [0, 2],         [0.333333, 6],    [0.333333, 3],    [1, 1]],
  // V3: 1/9, 0/7, 1/2, 0/6, 1/3, 0/1
  failure_rate:              [[0.111111, 9],   [0, 7],           [0.5, 2],       [0, 6],           [0.333333, 3],    [0, 1]],
  // I1 5, I2 1, I3 4, I5 3, V1 4: 17/5, 17/5, none, 13/4, 4/1, 4/1
  csat_score:                [[3.4, 5],        [3.4, 5],         [null, 0],      [3.25, 4],        [4, 1],           [4, 1]],
  // 4 or 5: I1, I3, V1
  csat_top2_rate:            [[0.6, 5],        [0.6, 5],         [null, 0],      [0.5, 4],         [1, 1],           [1, 1]],
  // I1 10 promoter, I2 2 detractor, I3 8 passive, V2 6 detractor: 100 x (1 - 2) / 4; (1 - 1) / 3; -1 / 1
  nps:                       [[-25, 4],        [0, 3],           [-100, 1],      [0, 3],           [-100, 1],        [null, 0]],
  // I1 7, V1 5
  ces_score:                 [[6, 2],          [6, 2],           [null, 0],      [7, 1],           [5, 1],           [5, 1]],
  // bot seconds / automated starts: 540/5 (I1-I4 and V3), 480/4, 60/1, 480/4, 60/1, none
  avg_bot_seconds:           [[108, 5],        [120, 4],         [60, 1],        [120, 4],         [60, 1],          [null, 0]],
  // human + hold seconds / human-handled: I3 300, I5 600, V1 360, V2 240: 1500/4, 1260/3, 240/1, 900/2, 600/2, 360/1
  avg_human_seconds:         [[375, 4],        [420, 3],         [240, 1],       [450, 2],         [300, 2],         [360, 1]],
  // and I3's 60 s of wrap-up: 1560/4, 1320/3, 240/1, 960/2, 600/2, 360/1
  aht_seconds:               [[390, 4],        [440, 3],         [240, 1],       [480, 2],         [300, 2],         [360, 1]],
  // queue seconds of the answered (I3 60, V1 30) / every answered, I5 and V2 at 0 s: 90/4, 90/3, 0/1, 60/2, 30/2, 30/1
  asa_seconds:               [[22.5, 4],       [30, 3],          [0, 1],         [30, 2],          [15, 2],          [30, 1]],
  // abandoned in the queue (I4, I6: the short abandon counts by default) / queued: 2/4, 2/4, none, 2/3, 0/1, 0/1
  abandonment_rate:          [[0.5, 4],        [0.5, 4],         [null, 0],      [0.666667, 3],    [0, 1],           [0, 1]],
  // (answered within the target: I3 at exactly 60 s; + answered at once: I5, V2) / (answered + I4, abandoned
  // after the grace; I6 within it is left out): 3/5, 2/4, 1/1, 2/3, 1/2 (V1 waited 30 s of 20), 0/1
  service_level:             [[0.6, 5],        [0.5, 4],         [1, 1],         [0.666667, 3],    [0.5, 2],         [0, 1]],
  // cost / interactions: 24.68/9, 20.28/7, 4.40/2, 13.68/6, 11.00/3, 6.60/1
  cost_per_interaction:      [[2.742222, 9],   [2.897143, 7],    [2.2, 2],       [2.28, 6],        [3.666667, 3],    [6.6, 1]],
  // D1 chatbot: 2 contained x (5.12 + 8.50) / 2 human-handled - (0.03 + 0.02) = 13.57; voice has none contained (0);
  // n contained
  bot_savings:               [[13.57, 2],      [13.57, 2],       [0, 0],         [13.57, 2],       [0, 0],           [0, 0]],
};

/**
 * Journey metrics, by day and entry channel: [period, D1, D2, chatbot, web_app, D1 web_app]. Day and
 * channel together: D1 chatbot is the chatbot column, D2 web_app the D2 column. Journeys J1 J2 J3;
 * touchpoints 3, 2, 1; channels 2, 2, 1; J3 still in progress.
 */
// biome-ignore format: a table, its columns aligned for reading
export const JOURNEY_METRICS: Record<string, Cell[]> = {
  //                          period            D1           D2          chatbot      web_app      D1 web_app
  journeys:                  [[3, 3],          [2, 2],      [1, 1],     [1, 1],      [2, 2],      [1, 1]],
  // completed (J1) / no longer in progress: 1/2, 1/2, none, 0/1, 1/1, 1/1
  journey_completion_rate:   [[0.5, 2],        [0.5, 2],    [null, 0],  [0, 1],      [1, 1],      [1, 1]],
  // J1 of 3, 2, 1, 1, 2, 1
  goal_achievement_rate:     [[0.333333, 3],   [0.5, 2],    [0, 1],     [0, 1],      [0.5, 2],    [1, 1]],
  // two channels or more: J1, J2
  multi_channel_rate:        [[0.666667, 3],   [1, 2],      [0, 1],     [1, 1],      [0.5, 2],    [1, 1]],
  // 5/3, 4/2, 1/1, 2/1, 3/2, 2/1
  channels_per_journey:      [[1.666667, 3],   [2, 2],      [1, 1],     [2, 1],      [1.5, 2],    [2, 1]],
  // 6/3, 5/2, 1/1, 2/1, 4/2, 3/1
  touchpoints_per_journey:   [[2, 3],          [2.5, 2],    [1, 1],     [2, 1],      [2, 2],      [3, 1]],
  // J1's form / touchpoints: 1/6, 1/5, 0/1, 0/2, 1/4, 1/3
  friction_rate:             [[0.166667, 6],   [0.2, 5],    [0, 1],     [0, 2],      [0.25, 4],   [0.333333, 3]],
  // J1 4, J2 2
  journey_satisfaction:      [[3, 2],          [3, 2],      [null, 0],  [2, 1],      [4, 1],      [4, 1]],
};

/**
 * Outcome metrics, by the day recorded and the channel of their contact: [period, D1, D2, chatbot,
 * voice_call, D2 chatbot]. Day and channel together: D1 chatbot is the D1 column (O1), D2
 * voice_call the voice_call column (O2, O3), D2 chatbot (O4) the last.
 */
// biome-ignore format: a table, its columns aligned for reading
export const OUTCOME_METRICS: Record<string, Cell[]> = {
  //                          period       D1          D2          chatbot     voice_call   D2 chatbot
  outcomes:                  [[4, 4],     [1, 1],     [3, 3],     [2, 2],     [2, 2],      [1, 1]],
  // 50 + 15 + 20 - 30; 50; 15 + 20 - 30; 50 + 15; 20 - 30; 15 (n outcomes)
  outcome_value:             [[55, 4],    [50, 1],    [5, 3],     [65, 2],    [-10, 2],    [15, 1]],
  // sale and upsell (n those)
  sales_value:               [[65, 2],    [50, 1],    [15, 1],    [65, 2],    [0, 0],      [15, 1]],
  // O2 (n outcomes)
  retention_saves:           [[1, 4],     [0, 1],     [1, 3],     [0, 2],     [1, 2],      [0, 1]],
  // O3 (n churn and refunds)
  churn_value:               [[-30, 1],   [0, 0],     [-30, 1],   [0, 0],     [-30, 1],    [0, 0]],
};

/**
 * Agent metrics: [H over the period (= H on D1), K over the period, K on D1, K on D2].
 * H: I3 (human 300 s + wrap-up 60 s) and I5 (600 s) overlap 10:05-10:08, so H was handling
 * 10:03-10:15 (720 s) of 7,200 s available: occupancy 720 / (720 + 6,480 idle) = 0.1, n 7,200 s.
 * K: V1 (300 + 60 s hold) on D1, V2 (240 s) on D2, no status history: no occupancy.
 */
// biome-ignore format: a table, its columns aligned for reading
export const AGENT_METRICS: Record<string, Cell[]> = {
  //                          H             K             K on D1      K on D2
  agent_handled:             [[2, 2],      [2, 2],       [1, 1],      [1, 1]],
  // (900 + 60) / 2; 600 / 2; 360 / 1; 240 / 1
  agent_aht_seconds:         [[480, 2],    [300, 2],     [360, 1],    [240, 1]],
  // primary agent of I3 (4), I5 (3); of V1 (4), V2 (no answer)
  agent_csat_score:          [[3.5, 2],    [4, 1],       [4, 1],      [null, 0]],
  // I3 escalated from the bot to H; n handled
  agent_escalations_received: [[1, 2],     [0, 2],       [0, 1],      [0, 1]],
  agent_occupancy:           [[0.1, 7200], [null, 0],    [null, 0],   [null, 0]],
};

/**
 * Every metric over rows that are not there (a channel filter with no contacts, journeys or
 * outcomes on it): a total is 0, a mean or a rate has no value; n is 0.
 */
export const OVER_NOTHING: Record<string, Cell> = {
  interactions: [0, 0],
  bot_interactions: [0, 0],
  live_chat_interactions: [0, 0],
  escalations: [0, 0],
  queue_abandoned_after_escalation: [0, 0],
  bot_share: [null, 0],
  containment_rate: [null, 0],
  bot_resolution_rate: [null, 0],
  escalation_rate: [null, 0],
  escalation_answered_rate: [null, 0],
  bot_abandonment_rate: [null, 0],
  success_rate: [null, 0],
  fcr_rate: [null, 0],
  fcr_contact_rate: [null, 0],
  failure_rate: [null, 0],
  csat_score: [null, 0],
  csat_top2_rate: [null, 0],
  nps: [null, 0],
  ces_score: [null, 0],
  avg_bot_seconds: [null, 0],
  avg_human_seconds: [null, 0],
  aht_seconds: [null, 0],
  asa_seconds: [null, 0],
  abandonment_rate: [null, 0],
  service_level: [null, 0],
  cost_per_interaction: [null, 0],
  bot_savings: [null, 0],
  journeys: [0, 0],
  journey_completion_rate: [null, 0],
  goal_achievement_rate: [null, 0],
  multi_channel_rate: [null, 0],
  channels_per_journey: [null, 0],
  touchpoints_per_journey: [null, 0],
  friction_rate: [null, 0],
  journey_satisfaction: [null, 0],
  outcomes: [0, 0],
  outcome_value: [0, 0],
  sales_value: [0, 0],
  retention_saves: [0, 0],
  churn_value: [0, 0],
};

export const GROUPINGS = ['none', 'day', 'channel', 'day_channel', 'agent', 'day_agent'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** Group label (the day, the channel's name, the agent's letter; "all" for none) -> metric -> cell. */
export type Groups = Record<string, Record<string, Cell>>;

/** One column of a table of the ledger: metric -> cell. */
function column(table: Record<string, Cell[]>, index: number): Record<string, Cell> {
  return Object.fromEntries(Object.entries(table).map(([name, cells]) => [name, cells[index] as Cell]));
}

/** What every grouping over D1..D2 gives: the tables' columns, by readable group labels. */
export function expectedGroups(): Record<Grouping, Groups> {
  const interactions = (i: number) => column(INTERACTION_METRICS, i);
  const journeys = (i: number) => column(JOURNEY_METRICS, i);
  const outcomes = (i: number) => column(OUTCOME_METRICS, i);
  const agents = (i: number) => column(AGENT_METRICS, i);
  return {
    none: { all: { ...interactions(0), ...journeys(0), ...outcomes(0) } },
    day: {
      [D1]: { ...interactions(1), ...journeys(1), ...outcomes(1) },
      [D2]: { ...interactions(2), ...journeys(2), ...outcomes(2) },
    },
    // no journey enters on voice_call, no contact is on web_app
    channel: {
      chatbot: { ...interactions(3), ...journeys(3), ...outcomes(3) },
      voice_call: { ...interactions(4), ...outcomes(4) },
      web_app: journeys(4),
    },
    day_channel: {
      [`${D1} chatbot`]: { ...interactions(3), ...journeys(3), ...outcomes(1) },
      [`${D1} voice_call`]: interactions(5),
      [`${D1} web_app`]: journeys(5),
      [`${D2} chatbot`]: outcomes(5),
      [`${D2} voice_call`]: { ...interactions(2), ...outcomes(4) },
      [`${D2} web_app`]: journeys(2),
    },
    agent: { H: agents(0), K: agents(1) },
    day_agent: { [`${D1} H`]: agents(0), [`${D1} K`]: agents(2), [`${D2} K`]: agents(3) },
  };
}

export interface Ledger {
  channels: { chatbot: string; voice: string; web: string };
  agents: { h: string; k: string };
}

/** The key of the batch's n-th interaction. */
function refOf(result: IngestResult, n: number): InteractionRef {
  const ref = result.results[n]?.ref;
  if (!ref) throw new Error(`the batch has no interaction ${n}`);
  return ref;
}

const at = (day: string, time: string) => new Date(`${day}T${time}Z`);

/** Writes the ledger through the client and refreshes the daily tables. */
export async function buildLedger(client: CarepulseClient): Promise<Ledger> {
  const chatbot = (await client.channels.byName('chatbot')).channelId;
  const voice = (await client.channels.byName('voice_call')).channelId;
  const web = (await client.channels.byName('web_app')).channelId;
  const app = (await client.channels.byName('mobile_app')).channelId;
  const billing = (
    await client.interactionTypes.create({
      typeCode: 'ledger_billing',
      typeName: 'Billing',
      category: 'billing',
    })
  ).interactionTypeId;
  const tech = (
    await client.interactionTypes.create({
      typeCode: 'ledger_tech',
      typeName: 'Technical',
      category: 'technical',
    })
  ).interactionTypeId;
  const newAgent = async (code: string) =>
    (
      await client.agents.create({
        agentCode: code,
        agentName: `Agent ${code}`,
        agentType: 'human',
        currentStatus: 'offline',
        statusChangedAt: at(D1, '07:00:00'),
      })
    ).agentId;
  const h = await newAgent('ledger-h');
  const k = await newAgent('ledger-k');
  await client.agents.setStatus(h, 'available', at(D1, '09:00:00'));
  await client.agents.setStatus(h, 'offline', at(D1, '11:00:00'));

  const customer = async (n: number) =>
    (await client.customers.create({ msisdn: `+4915177000${n}`, customerType: 'postpaid', region: 'DEUR' }))
      .customerId;
  const [c1, c2, c3, c4, c5, c6, c7, c8] = [
    await customer(1),
    await customer(2),
    await customer(3),
    await customer(4),
    await customer(5),
    await customer(6),
    await customer(7),
    await customer(8),
  ];

  const step = (
    stepType: IngestStep['stepType'],
    day: string,
    from: string,
    to: string,
    agentId?: string,
  ): IngestStep => ({
    stepType,
    startedAt: at(day, from),
    endedAt: at(day, to),
    ...(agentId ? { agentId } : {}),
  });
  const contact = (
    fields: Omit<IngestInteraction, 'startTimestamp' | 'endTimestamp'>,
    day: string,
    from: string,
    to: string,
  ): IngestInteraction => ({ ...fields, startTimestamp: at(day, from), endTimestamp: at(day, to) });

  const day1 = await client.interactions.ingest([
    contact(
      {
        customerId: c1,
        channelId: chatbot,
        initialMode: 'bot',
        interactionTypeId: billing,
        steps: [step('bot', D1, '09:00:00', '09:03:00')],
      },
      D1,
      '09:00:00',
      '09:03:00',
    ),
    contact(
      {
        customerId: c2,
        channelId: chatbot,
        initialMode: 'bot',
        interactionTypeId: tech,
        status: 'abandoned',
        resolutionStatus: 'unresolved',
        steps: [step('bot', D1, '09:10:00', '09:12:00')],
      },
      D1,
      '09:10:00',
      '09:12:00',
    ),
    contact(
      {
        customerId: c3,
        channelId: chatbot,
        initialMode: 'bot',
        interactionTypeId: billing,
        primaryAgentId: h,
        steps: [
          step('bot', D1, '10:00:00', '10:02:00'),
          step('queue', D1, '10:02:00', '10:03:00'),
          step('human', D1, '10:03:00', '10:08:00', h),
          step('wrap_up', D1, '10:08:00', '10:09:00', h),
        ],
      },
      D1,
      '10:00:00',
      '10:09:00',
    ),
    contact(
      {
        customerId: c4,
        channelId: chatbot,
        initialMode: 'bot',
        interactionTypeId: tech,
        status: 'abandoned',
        resolutionStatus: 'unresolved',
        steps: [step('bot', D1, '11:00:00', '11:01:00'), step('queue', D1, '11:01:00', '11:03:00')],
      },
      D1,
      '11:00:00',
      '11:03:00',
    ),
    contact(
      {
        customerId: c5,
        channelId: chatbot,
        initialMode: 'live_chat',
        primaryAgentId: h,
        steps: [step('human', D1, '10:05:00', '10:15:00', h)],
      },
      D1,
      '10:05:00',
      '10:15:00',
    ),
    contact(
      {
        customerId: c6,
        channelId: chatbot,
        initialMode: 'live_chat',
        interactionTypeId: billing,
        status: 'abandoned',
        resolutionStatus: 'unresolved',
        steps: [step('queue', D1, '12:00:00', '12:00:03')],
      },
      D1,
      '12:00:00',
      '12:00:03',
    ),
    contact(
      {
        customerId: c2,
        channelId: voice,
        initialMode: 'live_chat',
        interactionTypeId: tech,
        primaryAgentId: k,
        steps: [
          step('queue', D1, '13:00:00', '13:00:30'),
          step('human', D1, '13:00:30', '13:05:30', k),
          step('hold', D1, '13:05:30', '13:06:30', k),
        ],
      },
      D1,
      '13:00:00',
      '13:06:30',
    ),
  ]);
  const [i1, i2, i3, i5, v1] = [
    refOf(day1, 0),
    refOf(day1, 1),
    refOf(day1, 2),
    refOf(day1, 4),
    refOf(day1, 6),
  ];
  // a later batch: V2 repeats I1 on another channel within the window and flips its first contact resolution
  const day2 = await client.interactions.ingest([
    contact(
      {
        customerId: c1,
        channelId: voice,
        initialMode: 'live_chat',
        interactionTypeId: billing,
        primaryAgentId: k,
        resolutionStatus: 'unresolved',
        steps: [step('human', D2, '10:00:00', '10:04:00', k)],
      },
      D2,
      '10:00:00',
      '10:04:00',
    ),
    contact(
      {
        customerId: c7,
        channelId: voice,
        initialMode: 'ivr',
        interactionTypeId: tech,
        status: 'failed',
        resolutionStatus: 'unresolved',
        steps: [step('bot', D2, '11:00:00', '11:01:00')],
      },
      D2,
      '11:00:00',
      '11:01:00',
    ),
  ]);
  const v2 = refOf(day2, 0);
  // X1: C2 about tech again exactly 7 days after V1 ended, just outside the window
  const x1Day = '2026-11-23';
  await client.interactions.ingest([
    contact(
      {
        customerId: c2,
        channelId: chatbot,
        initialMode: 'live_chat',
        interactionTypeId: tech,
        steps: [step('human', x1Day, '13:06:30', '13:10:30', h)],
      },
      x1Day,
      '13:06:30',
      '13:10:30',
    ),
  ]);

  const answers: Array<[InteractionRef, Record<string, number>, string]> = [
    [i1, { csatScore: 5, npsScore: 10, cesScore: 7 }, D1],
    [i2, { csatScore: 1, npsScore: 2 }, D1],
    [i3, { csatScore: 4, npsScore: 8 }, D1],
    [i5, { csatScore: 3 }, D1],
    [v1, { csatScore: 4, cesScore: 5 }, D1],
    [v2, { npsScore: 6 }, D2],
  ];
  for (const [ref, scores, day] of answers)
    await client.feedback.submit({
      customerId: ref.customerId,
      interaction: ref,
      submittedAt: at(day, '20:00:00'),
      ...scores,
    });

  const j1 = await client.journeys.startSession({
    customerId: c1,
    startTimestamp: at(D1, '08:00:00'),
    entryChannelId: web,
  });
  await client.journeys.touch(j1, {
    channelId: web,
    touchpointType: 'page_view',
    occurredAt: at(D1, '08:00:00'),
  });
  await client.journeys.touch(j1, {
    channelId: web,
    touchpointType: 'form_submit',
    occurredAt: at(D1, '08:02:00'),
    frictionDetected: true,
    frictionType: 'error',
  });
  await client.journeys.touch(j1, {
    channelId: chatbot,
    touchpointType: 'bot_message',
    occurredAt: at(D1, '08:05:00'),
  });
  await client.journeys.endSession(j1, {
    journeyOutcome: 'completed',
    goalAchieved: true,
    endTimestamp: at(D1, '08:10:00'),
    journeySatisfactionScore: 4,
  });
  const j2 = await client.journeys.startSession({
    customerId: c3,
    startTimestamp: at(D1, '09:55:00'),
    entryChannelId: chatbot,
  });
  await client.journeys.touch(j2, {
    channelId: chatbot,
    touchpointType: 'chat',
    occurredAt: at(D1, '09:56:00'),
  });
  await client.journeys.touch(j2, {
    channelId: app,
    touchpointType: 'app_screen',
    occurredAt: at(D1, '09:58:00'),
  });
  await client.journeys.endSession(j2, {
    journeyOutcome: 'abandoned',
    goalAchieved: false,
    endTimestamp: at(D1, '09:59:00'),
    journeySatisfactionScore: 2,
  });
  const j3 = await client.journeys.startSession({
    customerId: c8,
    startTimestamp: at(D2, '07:00:00'),
    entryChannelId: web,
  });
  await client.journeys.touch(j3, {
    channelId: web,
    touchpointType: 'page_view',
    occurredAt: at(D2, '07:01:00'),
  });

  await client.outcomes.record(i3, { outcomeType: 'sale', outcomeValue: 50, recordedAt: at(D1, '10:20:00') });
  await client.outcomes.record(i5, {
    outcomeType: 'upsell',
    outcomeValue: 15,
    recordedAt: at(D2, '09:00:00'),
  });
  await client.outcomes.record(v1, {
    outcomeType: 'retention',
    outcomeValue: 20,
    recordedAt: at(D2, '09:30:00'),
  });
  await client.outcomes.record(v2, {
    outcomeType: 'churn',
    outcomeValue: -30,
    recordedAt: at(D2, '10:10:00'),
  });

  await client.metrics.refresh();
  return { channels: { chatbot, voice, web }, agents: { h, k } };
}
