import { NotFoundError } from '../errors.js';
import {
  assignPlan,
  createArticle,
  createInteractionType,
  createServicePlan,
  createSurveyTemplate,
  type ICreateArticleParams,
  type ICreateInteractionTypeParams,
  type ICreateServicePlanParams,
  type ICreateSurveyTemplateParams,
  type IListChannelsResult,
  type IListInteractionTypesResult,
  listChannels,
  listInteractionTypes,
} from '../queries/reference-data.queries.js';
import { assertValidDate, type Session } from './session.js';

export type Channel = IListChannelsResult;
export type InteractionType = IListInteractionTypesResult;
export type Category = 'billing' | 'account' | 'technical' | 'sales' | 'support';

/** Channels, interaction types, service plans, survey templates and KB articles: the reference data. */
export function referenceDataApis(session: Session) {
  return {
    channels: {
      list: (): Promise<Channel[]> => session.run(listChannels, undefined),
      async byName(channelName: string): Promise<Channel> {
        const channel = (await session.run(listChannels, undefined)).find(
          (c) => c.channelName === channelName,
        );
        if (!channel) throw new NotFoundError('channel', channelName);
        return channel;
      },
    },
    interactionTypes: {
      async create(
        type: ICreateInteractionTypeParams & { category: Category },
      ): Promise<{ interactionTypeId: string }> {
        const [row] = await session.run(createInteractionType, type);
        return row as { interactionTypeId: string };
      },
      list: (): Promise<InteractionType[]> => session.run(listInteractionTypes, undefined),
    },
    servicePlans: {
      async create(
        plan: ICreateServicePlanParams & { planKind: 'data' | 'voice' | 'combo' },
      ): Promise<{ servicePlanId: string }> {
        const [row] = await session.run(createServicePlan, plan);
        return row as { servicePlanId: string };
      },
      /** Assigns a plan to a customer for a period; overlapping plans of one kind are refused (ConflictError). */
      async assign(assignment: {
        customerId: string;
        servicePlanId: string;
        validFrom?: Date;
        validTo?: Date;
        assignmentReason?: 'new' | 'upgrade' | 'downgrade' | 'renewal' | 'retention' | 'migration';
      }): Promise<{ assignmentId: string; planKind: string }> {
        assertValidDate('validFrom', assignment.validFrom);
        assertValidDate('validTo', assignment.validTo);
        const [row] = await session.run(assignPlan, assignment);
        return row as { assignmentId: string; planKind: string };
      },
    },
    surveyTemplates: {
      async create(
        template: Omit<ICreateSurveyTemplateParams, 'questions'> & {
          surveyType: 'csat' | 'nps' | 'ces' | 'custom';
          questions?: unknown[];
        },
      ): Promise<{ surveyTemplateId: string }> {
        const [row] = await session.run(createSurveyTemplate, {
          ...template,
          questions: template.questions ? JSON.stringify(template.questions) : null,
        });
        return row as { surveyTemplateId: string };
      },
    },
    knowledgeBase: {
      async create(article: ICreateArticleParams & { category: Category }): Promise<{ articleId: string }> {
        const [row] = await session.run(createArticle, article);
        return row as { articleId: string };
      },
    },
  };
}
