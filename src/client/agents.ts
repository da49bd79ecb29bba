import { NotFoundError } from '../errors.js';
import {
  agentStatusHistory,
  createAgent,
  getAgents,
  type IAgentStatusHistoryResult,
  type IGetAgentsResult,
  setAgentStatus,
} from '../queries/agents.queries.js';
import { assertValidDate, type Session } from './session.js';

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
export type Agent = IGetAgentsResult;
export type StatusInterval = IAgentStatusHistoryResult;

export function agentsApi(session: Session) {
  async function get(agentId: string): Promise<Agent> {
    const [row] = await session.run(getAgents, { agentIds: [agentId], limit: 1 });
    if (!row) throw new NotFoundError('agent', agentId);
    return row;
  }
  return {
    async create(agent: NewAgent): Promise<Agent> {
      assertValidDate('statusChangedAt', agent.statusChangedAt);
      const [row] = await session.run(createAgent, {
        ...agent,
        workSchedule: agent.workSchedule ? JSON.stringify(agent.workSchedule) : null,
      });
      return get((row as { agentId: string }).agentId);
    },
    get,
    async list(filter: { agentType?: AgentType; limit?: number } = {}): Promise<Agent[]> {
      return session.run(getAgents, {
        agentIds: [],
        agentType: filter.agentType,
        limit: filter.limit ?? 1000,
      });
    },
    /** Changes the agent's status (now, or at `at`); the database records the interval. */
    async setStatus(agentId: string, status: AgentStatus, at?: Date): Promise<void> {
      assertValidDate('at', at);
      const [row] = await session.run(setAgentStatus, {
        agentId,
        currentStatus: status,
        statusChangedAt: at,
      });
      if (!row) throw new NotFoundError('agent', agentId);
    },
    /** The agent's status intervals overlapping [from, to). */
    async statusHistory(agentId: string, from: Date, to: Date): Promise<StatusInterval[]> {
      return session.run(agentStatusHistory, { agentId, from, to });
    },
  };
}
export type AgentsApi = ReturnType<typeof agentsApi>;
