/**
 * The carrier's subscribers and staff. A customer is a pure function of (seed, index), so the
 * workload can contact customer 81,203 without the simulator keeping a million customers in memory.
 */
import type { AgentStatus } from '../client/agents.js';
import type { CustomerSegment, CustomerType, Region } from '../client/customers.js';
import { item } from './item.js';
import { Random, uuidV7 } from './random.js';
import { SHIFTS, SKILLS, type Skill, TEAMS } from './scenario.js';

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Elif',
  'Felix',
  'Greta',
  'Hannah',
  'Ivan',
  'Jonas',
  'Katrin',
  'Lena',
  'Mehmet',
  'Nora',
  'Oskar',
  'Paula',
  'Rafael',
  'Sofia',
  'Tim',
  'Yusuf',
  'Zoe',
  'Lucia',
  'Marco',
  'Aylin',
];
const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Yilmaz',
  'Kaya',
  'García',
  'Rossi',
  'Novak',
  'Kowalski',
  'Smith',
  'Jones',
  'Brown',
  'Klein',
  'Wolf',
];
const CITIES: Record<Region, readonly string[]> = {
  DEUR: ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Leipzig', 'Dresden'],
  R9: ['Düsseldorf', 'Dortmund', 'Essen', 'Bremen', 'Hannover', 'Nürnberg', 'Duisburg', 'Bochum'],
};

export interface CustomerProfile {
  index: number;
  customerId: string;
  msisdn: string;
  firstName: string;
  lastName: string;
  customerType: CustomerType;
  region: Region;
  city: string;
  segment: CustomerSegment;
  creditLimit: number | null;
  lifetimeValue: number;
  accountStatus: 'active' | 'suspended';
  activatedAt: Date;
  contactTime: 'morning' | 'afternoon' | 'evening' | 'any';
  language: 'de' | 'en' | 'tr' | 'es';
  /** Index into PLANS of the customer's combo plan, and whether it also holds a data add-on. */
  planIndex: number;
  dataAddOn: boolean;
  /** When the customer upgraded to the next plan during the simulated period, if they did. */
  upgradeAt: Date | null;
}

/** The plans of the simulated carrier; customers hold one combo plan, some a data add-on too. */
export const PLANS = [
  {
    planCode: 'sim_prepaid_s',
    planName: 'Prepaid S',
    planKind: 'combo',
    paymentType: 'prepaid',
    monthlyFee: 9.99,
  },
  {
    planCode: 'sim_prepaid_m',
    planName: 'Prepaid M',
    planKind: 'combo',
    paymentType: 'prepaid',
    monthlyFee: 14.99,
  },
  {
    planCode: 'sim_postpaid_m',
    planName: 'Mobil M',
    planKind: 'combo',
    paymentType: 'postpaid',
    monthlyFee: 29.99,
  },
  {
    planCode: 'sim_postpaid_l',
    planName: 'Mobil L',
    planKind: 'combo',
    paymentType: 'postpaid',
    monthlyFee: 44.99,
  },
  {
    planCode: 'sim_unlimited',
    planName: 'Unlimited',
    planKind: 'combo',
    paymentType: 'postpaid',
    monthlyFee: 64.99,
  },
  {
    planCode: 'sim_business',
    planName: 'Business Pro',
    planKind: 'combo',
    paymentType: 'postpaid',
    monthlyFee: 54.99,
  },
  {
    planCode: 'sim_data_addon',
    planName: 'Data add-on 10 GB',
    planKind: 'data',
    paymentType: 'hybrid',
    monthlyFee: 7.99,
  },
] as const;
export const DATA_ADD_ON = PLANS.length - 1;

const DAY_MS = 86_400_000;

/** The simulated subscriber with this index: the same for the same seed, whoever asks. */
export function customerProfile(
  seed: number,
  index: number,
  period: { start: Date; end: Date },
): CustomerProfile {
  const random = Random.derived(seed, 0x0c057, index);
  const customerType = random.weighted({ prepaid: 35, postpaid: 55, hybrid: 10 }) as CustomerType;
  const region: Region = random.chance(0.5) ? 'DEUR' : 'R9';
  const segment = random.weighted({
    consumer: 80,
    premium: 10,
    small_business: 7,
    enterprise: 2.5,
    government: 0.5,
  }) as CustomerSegment;
  const activatedAt = new Date(
    period.start.getTime() - random.int(30, 3650) * DAY_MS - random.int(0, 86_399) * 1000,
  );
  const planIndex =
    segment === 'small_business' || segment === 'enterprise' || segment === 'government'
      ? 5
      : customerType === 'prepaid'
        ? random.int(0, 1)
        : random.int(2, 4);
  const upgrades = planIndex !== 1 && planIndex < 4 && random.chance(0.08);
  const span = period.end.getTime() - period.start.getTime();
  return {
    index,
    // the index in the last 48 bits: unique whatever the random bits
    customerId: `${uuidV7(activatedAt, random).slice(0, 24)}${index.toString(16).padStart(12, '0')}`,
    // 7919 is prime to 10^9: index -> number is one to one, so numbers never collide
    msisdn: `+4915${String((index * 7919 + 104_729) % 1_000_000_000).padStart(9, '0')}`,
    firstName: random.pick(FIRST_NAMES),
    lastName: random.pick(LAST_NAMES),
    customerType,
    region,
    city: random.pick(CITIES[region]),
    segment,
    creditLimit: customerType === 'prepaid' ? null : random.pick([100, 250, 500, 1000]),
    lifetimeValue: Math.round(random.logNormal(customerType === 'prepaid' ? 180 : 1400, 0.7) * 100) / 100,
    accountStatus: random.chance(0.02) ? 'suspended' : 'active',
    activatedAt,
    contactTime: random.weighted({ morning: 3, afternoon: 3, evening: 3, any: 1 }),
    language:
      region === 'DEUR'
        ? random.weighted({ de: 80, en: 12, tr: 8 })
        : random.weighted({ de: 60, en: 25, tr: 8, es: 7 }),
    planIndex,
    dataAddOn: random.chance(0.15),
    upgradeAt: upgrades ? new Date(period.start.getTime() + Math.floor(random.next() * span)) : null,
  };
}

export interface HumanProfile {
  agentCode: string;
  agentName: string;
  team: number;
  skill: Skill;
  shift: number;
  languages: string[];
  /** Works weekends (the others have them off). */
  weekends: boolean;
}

function pickShift(random: Random): number {
  const name = random.weighted(Object.fromEntries(SHIFTS.map((s) => [s.name, s.share])));
  return SHIFTS.findIndex((s) => s.name === name);
}

/** The human staff: teams, skills, shifts and languages in the scenario's shares. */
export function humanRoster(seed: number, count: number): HumanProfile[] {
  const random = Random.derived(seed, 0xa9e47);
  const roster: HumanProfile[] = [];
  // teams get whole shares of the staff, each at least two people
  TEAMS.forEach((team, teamIndex) => {
    const members = Math.max(2, Math.round(count * team.share));
    for (let m = 0; m < members; m += 1) {
      const number = roster.length + 1;
      roster.push({
        agentCode: `SIM-H${String(number).padStart(4, '0')}`,
        agentName: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        team: teamIndex,
        skill: random.weighted(
          Object.fromEntries(Object.entries(SKILLS).map(([k, v]) => [k, v.share])),
        ) as Skill,
        shift: pickShift(random),
        languages: random.weighted({ 'de,en': 55, de: 15, en: 15, 'de,tr': 8, 'en,es': 7 }).split(','),
        weekends: random.chance(0.5),
      });
    }
  });
  return roster;
}

export interface StatusInterval {
  status: AgentStatus;
  startedAt: Date;
  endedAt: Date;
}

/**
 * One human's status over one day starting at `dayStart` (UTC midnight of the reporting day):
 * available through the shift with a 30-minute break in its middle, offline until the next
 * shift; a day off is offline. Intervals are cut at `until`, so none reaches past the data.
 */
export function dayOfStatuses(human: HumanProfile, dayStart: Date, until: Date): StatusInterval[] {
  const shift = item(SHIFTS, human.shift);
  const at = (hours: number) => new Date(dayStart.getTime() + hours * 3_600_000);
  const weekday = dayStart.getUTCDay();
  const works = human.weekends || (weekday !== 0 && weekday !== 6);
  const breakAt = (shift.start + shift.end) / 2;
  const intervals: StatusInterval[] = works
    ? [
        { status: 'available', startedAt: at(shift.start), endedAt: at(breakAt) },
        { status: 'on_break', startedAt: at(breakAt), endedAt: at(breakAt + 0.5) },
        { status: 'available', startedAt: at(breakAt + 0.5), endedAt: at(shift.end) },
        { status: 'offline', startedAt: at(shift.end), endedAt: at(shift.start + 24) },
      ]
    : [{ status: 'offline', startedAt: at(shift.start), endedAt: at(shift.start + 24) }];
  return intervals
    .filter((i) => i.startedAt < until)
    .map((i) => (i.endedAt > until ? { ...i, endedAt: until } : i))
    .filter((i) => i.endedAt > i.startedAt);
}

/** Whether the human is available (on shift, not on a break) at this instant. */
export function isOnShift(human: HumanProfile, at: Date): boolean {
  const shift = item(SHIFTS, human.shift);
  const hour = at.getUTCHours() + at.getUTCMinutes() / 60;
  const weekday = at.getUTCDay();
  if (!human.weekends && (weekday === 0 || weekday === 6)) return false;
  const breakAt = (shift.start + shift.end) / 2;
  return hour >= shift.start && hour < shift.end && !(hour >= breakAt && hour < breakAt + 0.5);
}
