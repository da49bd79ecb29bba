import { NotFoundError } from '../errors.js';
import {
  agentStatusHistory,
  createAgent,
  getAgents,
  type IAgentStatusHistoryResult,
  type IGetAgentsResult,
  setAgentStatus,
  updateAgent,
} from '../queries/agents.queries.js';
import type { Session } from './session.js';
import {
  boolean,
  checkFields,
  checkInstantPeriod,
  date,
  type FieldChecks,
  json,
  limit,
  text,
  textList,
  uuid,
  uuidList,
  wholeNumber,
} from './validation.js';

export type AgentType = 'bot' | 'human' | 'hybrid' | 'supervisor';
export type AgentStatus = 'available' | 'busy' | 'on_break' | 'offline';
export type SkillLevel = 'trainee' | 'junior' | 'intermediate' | 'senior' | 'specialist';
export type Specialization = 'billing' | 'account' | 'technical' | 'sales' | 'support' | 'general';

export interface NewAgent {
  agentCode: string;
  agentName: string;
  agentType: AgentType;
  supervisorId?: string;
  teamName?: string;
  specialization?: Specialization;
  skillLevel?: SkillLevel;
  languages?: string[];
  workSchedule?: Record<string, unknown>;
  currentStatus?: AgentStatus;
  statusChangedAt?: Date;
  maxConcurrentChats?: number;
  hireDate?: Date;
}
/**
 * What `update` may change: not the code (the source system's key), not the status (setStatus
 * records it as an interval) and not the performance fields the metrics worker computes.
 */
export type AgentChanges = Partial<
  Omit<NewAgent, 'agentCode' | 'currentStatus' | 'statusChangedAt'> & { isActive: boolean }
>;
export type Agent = IGetAgentsResult;
export type StatusInterval = IAgentStatusHistoryResult;

const AGENT: FieldChecks<NewAgent & { isActive: boolean }> = {
  agentCode: text,
  agentName: text,
  agentType: text,
  supervisorId: uuid,
  teamName: text,
  specialization: text,
  skillLevel: text,
  languages: textList,
  workSchedule: json,
  currentStatus: text,
  statusChangedAt: date,
  maxConcurrentChats: wholeNumber,
  hireDate: date,
  isActive: boolean,
};

function checkArguments(fields: AgentChanges & { statusChangedAt?: Date }): void {
  checkFields(fields, AGENT);
}

function asParams<T extends AgentChanges>(fields: T) {
  return { ...fields, workSchedule: fields.workSchedule ? JSON.stringify(fields.workSchedule) : null };
}

export function agentsApi(session: Session) {
  async function get(agentId: string): Promise<Agent> {
    uuid('agentId', agentId);
    const [row] = await session.run(getAgents, { agentIds: [agentId], limit: 1 }, { agentIds: 'agentId' });
    if (!row) throw new NotFoundError('agent', agentId);
    return row;
  }
  return {
    async create(agent: NewAgent): Promise<Agent> {
      checkArguments(agent);
      const [row] = await session.run(createAgent, asParams(agent));
      return get((row as { agentId: string }).agentId);
    },
    /** Changes the given fields; fields left out keep their value. */
    async update(agentId: string, changes: AgentChanges): Promise<Agent> {
      uuid('agentId', agentId);
      checkArguments(changes);
      const [row] = await session.run(updateAgent, { ...asParams(changes), agentId });
      if (!row) throw new NotFoundError('agent', agentId);
      return row;
    },
    get,
    /** Agents by code, optionally only the given ones or those of one type (limit 1 to 10,000, default 1,000). */
    async list(
      filter: { agentIds?: string[]; agentType?: AgentType; limit?: number } = {},
    ): Promise<Agent[]> {
      checkFields(filter, { agentIds: uuidList, agentType: text, limit });
      return session.run(getAgents, {
        agentIds: filter.agentIds ?? [],
        agentType: filter.agentType,
        limit: filter.limit ?? 1000,
      });
    },
    /** Changes the agent's status (now, or at `at`); the database records the interval. */
    async setStatus(agentId: string, status: AgentStatus, at?: Date): Promise<void> {
      checkFields({ agentId, status, at }, { agentId: uuid, status: text, at: date });
      const [row] = await session.run(
        setAgentStatus,
        { agentId, currentStatus: status, statusChangedAt: at },
        { currentStatus: 'status', statusChangedAt: 'at' },
      );
      if (!row) throw new NotFoundError('agent', agentId);
    },
    /** The agent's status intervals overlapping [from, to). */
    async statusHistory(agentId: string, from: Date, to: Date): Promise<StatusInterval[]> {
      uuid('agentId', agentId);
      checkInstantPeriod({ from, to });
      return session.run(agentStatusHistory, { agentId, from, to });
    },
  };
}
export type AgentsApi = ReturnType<typeof agentsApi>;
