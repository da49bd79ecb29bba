import { NotFoundError } from '../errors.js';
import {
  assignPlan,
  createArticle,
  createChannel,
  createInteractionType,
  createServicePlan,
  createSurveyTemplate,
  customerPlanAssignments,
  getArticles,
  getChannels,
  getInteractionTypes,
  getServicePlans,
  getSurveyTemplates,
  type ICreateArticleParams,
  type ICreateChannelParams,
  type ICreateInteractionTypeParams,
  type ICreateServicePlanParams,
  type ICreateSurveyTemplateParams,
  type ICustomerPlanAssignmentsResult,
  type IGetArticlesResult,
  type IGetChannelsResult,
  type IGetInteractionTypesResult,
  type IGetServicePlansResult,
  type IGetSurveyTemplatesResult,
  type IUpdateArticleParams,
  type IUpdateChannelParams,
  type IUpdateInteractionTypeParams,
  type IUpdateServicePlanParams,
  type IUpdateSurveyTemplateParams,
  updateArticle,
  updateChannel,
  updateInteractionType,
  updateServicePlan,
  updateSurveyTemplate,
} from '../queries/reference-data.queries.js';
import type { Session } from './session.js';
import {
  boolean,
  checkFields,
  date,
  type FieldChecks,
  json,
  limit,
  number,
  text,
  textList,
  uuid,
  wholeNumber,
} from './validation.js';

export type Channel = IGetChannelsResult;
export type InteractionType = IGetInteractionTypesResult;
export type ServicePlan = IGetServicePlansResult;
export type PlanAssignment = ICustomerPlanAssignmentsResult;
export type SurveyTemplate = IGetSurveyTemplatesResult;
export type Article = IGetArticlesResult;

export type Category = 'billing' | 'account' | 'technical' | 'sales' | 'support';
export type ChannelCategory = 'core' | 'advanced';
export type ComplexityLevel = 'low' | 'medium' | 'high' | 'critical';
export type BusinessCriticality = 'low' | 'medium' | 'high' | 'critical';
export type PlanKind = 'data' | 'voice' | 'combo';
export type PaymentType = 'prepaid' | 'postpaid' | 'hybrid';
export type AssignmentReason = 'new' | 'upgrade' | 'downgrade' | 'renewal' | 'retention' | 'migration';
export type SurveyType = 'csat' | 'nps' | 'ces' | 'custom';
export type TriggerEvent = 'interaction_end' | 'journey_end' | 'periodic' | 'manual';
export type ArticleStatus = 'draft' | 'published' | 'archived';

export interface NewChannel extends Omit<ICreateChannelParams, 'channelCategory'> {
  channelCategory?: ChannelCategory;
}
/** The channel's name is its stable key (reports join on it), so it is not among the changes. */
export interface ChannelChanges extends Omit<IUpdateChannelParams, 'channelId' | 'channelCategory'> {
  channelCategory?: ChannelCategory;
}

export interface NewInteractionType
  extends Omit<ICreateInteractionTypeParams, 'category' | 'complexityLevel' | 'businessCriticality'> {
  category: Category;
  complexityLevel?: ComplexityLevel;
  businessCriticality?: BusinessCriticality;
}
/** Everything but the type code, the type's stable key. */
export interface InteractionTypeChanges
  extends Omit<
    IUpdateInteractionTypeParams,
    'interactionTypeId' | 'category' | 'complexityLevel' | 'businessCriticality'
  > {
  category?: Category;
  complexityLevel?: ComplexityLevel;
  businessCriticality?: BusinessCriticality;
}

export interface NewServicePlan extends Omit<ICreateServicePlanParams, 'planKind' | 'paymentType'> {
  planKind: PlanKind;
  paymentType?: PaymentType;
}
/** Everything but the plan code (the billing system's key); a new plan kind follows into the assignments. */
export interface ServicePlanChanges
  extends Omit<IUpdateServicePlanParams, 'servicePlanId' | 'planKind' | 'paymentType'> {
  planKind?: PlanKind;
  paymentType?: PaymentType;
}

export interface NewSurveyTemplate
  extends Omit<ICreateSurveyTemplateParams, 'surveyType' | 'questions' | 'triggerEvent'> {
  surveyType: SurveyType;
  questions?: unknown[];
  triggerEvent?: TriggerEvent;
}
/**
 * Everything but the code and the survey type (answers already collected were given to that kind
 * of survey: make a new template instead). New questions make a new template version.
 */
export interface SurveyTemplateChanges
  extends Omit<IUpdateSurveyTemplateParams, 'surveyTemplateId' | 'questions' | 'triggerEvent'> {
  questions?: unknown[];
  triggerEvent?: TriggerEvent;
}

export interface NewArticle extends Omit<ICreateArticleParams, 'category' | 'articleStatus'> {
  category: Category;
  articleStatus?: ArticleStatus;
}
/**
 * Everything but the article key and language (which name this row) and the usage counters the
 * metrics worker computes. A new title or content makes a new article version.
 */
export interface ArticleChanges
  extends Omit<IUpdateArticleParams, 'articleId' | 'category' | 'articleStatus'> {
  category?: Category;
  articleStatus?: ArticleStatus;
}

const CHANNEL: FieldChecks<NewChannel & ChannelChanges> = {
  channelName: text,
  displayName: text,
  channelCategory: text,
  isActive: boolean,
  supportsBot: boolean,
  supportsLiveChat: boolean,
  supportsVideo: boolean,
  supportsFileSharing: boolean,
  expectedResponseSeconds: wholeNumber,
  maxConcurrentUsers: wholeNumber,
  availabilitySla: number,
  serviceLevelTargetSeconds: wholeNumber,
  botCostPerMinute: number,
  humanCostPerMinute: number,
  costCurrency: text,
};
const INTERACTION_TYPE: FieldChecks<NewInteractionType & InteractionTypeChanges> = {
  typeCode: text,
  typeName: text,
  category: text,
  subCategory: text,
  complexityLevel: text,
  businessCriticality: text,
  targetResolutionSeconds: wholeNumber,
  escalationThresholdSeconds: wholeNumber,
  requiresHuman: boolean,
  requiresAuthentication: boolean,
  revenueImpacting: boolean,
  description: text,
  isActive: boolean,
};
const SERVICE_PLAN: FieldChecks<NewServicePlan & ServicePlanChanges> = {
  planCode: text,
  planName: text,
  planKind: text,
  paymentType: text,
  monthlyFee: number,
  currency: text,
  dataAllowanceMb: wholeNumber,
  voiceMinutes: wholeNumber,
  smsCount: wholeNumber,
  contractMonths: wholeNumber,
  isActive: boolean,
};
const SURVEY_TEMPLATE: FieldChecks<NewSurveyTemplate & SurveyTemplateChanges> = {
  templateCode: text,
  templateName: text,
  surveyType: text,
  questions: json,
  scaleMin: wholeNumber,
  scaleMax: wholeNumber,
  triggerEvent: text,
  languageCode: text,
  deliveryChannelId: uuid,
  isActive: boolean,
};
const ARTICLE: FieldChecks<NewArticle & ArticleChanges> = {
  articleKey: text,
  title: text,
  content: text,
  category: text,
  tags: textList,
  languageCode: text,
  articleStatus: text,
  confidenceScore: number,
  authorAgentId: uuid,
  publishedAt: date,
};
const ASSIGNMENT: FieldChecks<PlanAssignmentInput> = {
  customerId: uuid,
  servicePlanId: uuid,
  validFrom: date,
  validTo: date,
  assignmentReason: text,
};

export interface PlanAssignmentInput {
  customerId: string;
  servicePlanId: string;
  validFrom?: Date;
  validTo?: Date;
  assignmentReason?: AssignmentReason;
}

/** Channels, interaction types, service plans, survey templates and KB articles: the reference data. */
export function referenceDataApis(session: Session) {
  async function theOne<T>(rows: Promise<T[]>, entity: string, key: string): Promise<T> {
    const [row] = await rows;
    if (!row) throw new NotFoundError(entity, key);
    return row;
  }
  const checkChannel = (fields: NewChannel | ChannelChanges) => checkFields(fields, CHANNEL);
  const checkInteractionType = (fields: NewInteractionType | InteractionTypeChanges) =>
    checkFields(fields, INTERACTION_TYPE);
  const checkServicePlan = (fields: NewServicePlan | ServicePlanChanges) => checkFields(fields, SERVICE_PLAN);
  const checkSurveyTemplate = (fields: NewSurveyTemplate | SurveyTemplateChanges) =>
    checkFields(fields, SURVEY_TEMPLATE);
  const checkArticle = (fields: NewArticle | ArticleChanges) => checkFields(fields, ARTICLE);
  /** A lookup by id: a malformed one is a mistake, not a NotFoundError. */
  const byId = (field: string, id: string) => {
    uuid(field, id);
    return [id];
  };
  const questionsParam = (questions: unknown[] | undefined) => (questions ? JSON.stringify(questions) : null);

  return {
    channels: {
      list: (): Promise<Channel[]> => session.run(getChannels, { channelIds: [] }),
      get: async (channelId: string): Promise<Channel> =>
        theOne(
          session.run(getChannels, { channelIds: byId('channelId', channelId) }, { channelIds: 'channelId' }),
          'channel',
          channelId,
        ),
      byName: async (channelName: string): Promise<Channel> => {
        text('channelName', channelName);
        return theOne(session.run(getChannels, { channelIds: [], channelName }), 'channel', channelName);
      },
      /** Adds a channel; the nine standard ones come with the schema. */
      async create(channel: NewChannel): Promise<Channel> {
        checkChannel(channel);
        const [row] = await session.run(createChannel, channel);
        return row as Channel;
      },
      /** Changes the given fields; fields left out keep their value. */
      async update(channelId: string, changes: ChannelChanges): Promise<Channel> {
        uuid('channelId', channelId);
        checkChannel(changes);
        return theOne(session.run(updateChannel, { ...changes, channelId }), 'channel', channelId);
      },
    },
    interactionTypes: {
      async create(type: NewInteractionType): Promise<{ interactionTypeId: string }> {
        checkInteractionType(type);
        const [row] = await session.run(createInteractionType, type);
        return row as { interactionTypeId: string };
      },
      get: async (interactionTypeId: string): Promise<InteractionType> =>
        theOne(
          session.run(
            getInteractionTypes,
            { interactionTypeIds: byId('interactionTypeId', interactionTypeId) },
            { interactionTypeIds: 'interactionTypeId' },
          ),
          'interaction type',
          interactionTypeId,
        ),
      byCode: async (typeCode: string): Promise<InteractionType> => {
        text('typeCode', typeCode);
        return theOne(
          session.run(getInteractionTypes, { interactionTypeIds: [], typeCode }),
          'interaction type',
          typeCode,
        );
      },
      /** All interaction types (retired ones too), or those of one category, by code. */
      list: async (filter: { category?: Category } = {}): Promise<InteractionType[]> => {
        checkFields(filter, { category: text });
        return session.run(getInteractionTypes, { interactionTypeIds: [], category: filter.category });
      },
      /** Changes the given fields; fields left out keep their value. */
      async update(interactionTypeId: string, changes: InteractionTypeChanges): Promise<InteractionType> {
        uuid('interactionTypeId', interactionTypeId);
        checkInteractionType(changes);
        return theOne(
          session.run(updateInteractionType, { ...changes, interactionTypeId }),
          'interaction type',
          interactionTypeId,
        );
      },
    },
    servicePlans: {
      async create(plan: NewServicePlan): Promise<{ servicePlanId: string }> {
        checkServicePlan(plan);
        const [row] = await session.run(createServicePlan, plan);
        return row as { servicePlanId: string };
      },
      get: async (servicePlanId: string): Promise<ServicePlan> =>
        theOne(
          session.run(
            getServicePlans,
            { servicePlanIds: byId('servicePlanId', servicePlanId) },
            { servicePlanIds: 'servicePlanId' },
          ),
          'service plan',
          servicePlanId,
        ),
      /** Plans by code, optionally of one kind or only those (not) sold any more. */
      list: async (filter: { planKind?: PlanKind; isActive?: boolean } = {}): Promise<ServicePlan[]> => {
        checkFields(filter, { planKind: text, isActive: boolean });
        return session.run(getServicePlans, { servicePlanIds: [], ...filter });
      },
      /**
       * Changes the given fields; fields left out keep their value. A new planKind is refused
       * (ConflictError) when a customer would then hold two plans of that kind at once.
       */
      async update(servicePlanId: string, changes: ServicePlanChanges): Promise<ServicePlan> {
        uuid('servicePlanId', servicePlanId);
        checkServicePlan(changes);
        return theOne(
          session.run(updateServicePlan, { ...changes, servicePlanId }),
          'service plan',
          servicePlanId,
        );
      },
      /** Assigns a plan to a customer for a period; overlapping plans of one kind are refused (ConflictError). */
      async assign(assignment: PlanAssignmentInput): Promise<{ assignmentId: string; planKind: string }> {
        checkFields(assignment, ASSIGNMENT);
        const [row] = await session.run(assignPlan, assignment);
        return row as { assignmentId: string; planKind: string };
      },
      /** The customer's plan history, earliest first (none for an unknown customer). */
      assignments: async (customerId: string): Promise<PlanAssignment[]> => {
        uuid('customerId', customerId);
        return session.run(customerPlanAssignments, { customerId });
      },
    },
    surveyTemplates: {
      async create(template: NewSurveyTemplate): Promise<{ surveyTemplateId: string }> {
        checkSurveyTemplate(template);
        const [row] = await session.run(createSurveyTemplate, {
          ...template,
          questions: questionsParam(template.questions),
        });
        return row as { surveyTemplateId: string };
      },
      get: async (surveyTemplateId: string): Promise<SurveyTemplate> =>
        theOne(
          session.run(
            getSurveyTemplates,
            { surveyTemplateIds: byId('surveyTemplateId', surveyTemplateId) },
            { surveyTemplateIds: 'surveyTemplateId' },
          ),
          'survey template',
          surveyTemplateId,
        ),
      /** Templates by code, optionally of one survey type or only those (not) sent any more. */
      list: async (
        filter: { surveyType?: SurveyType; isActive?: boolean } = {},
      ): Promise<SurveyTemplate[]> => {
        checkFields(filter, { surveyType: text, isActive: boolean });
        return session.run(getSurveyTemplates, { surveyTemplateIds: [], ...filter });
      },
      /** Changes the given fields; fields left out keep their value; new questions bump templateVersion. */
      async update(surveyTemplateId: string, changes: SurveyTemplateChanges): Promise<SurveyTemplate> {
        uuid('surveyTemplateId', surveyTemplateId);
        checkSurveyTemplate(changes);
        return theOne(
          session.run(updateSurveyTemplate, {
            ...changes,
            questions: questionsParam(changes.questions),
            surveyTemplateId,
          }),
          'survey template',
          surveyTemplateId,
        );
      },
    },
    knowledgeBase: {
      async create(article: NewArticle): Promise<{ articleId: string }> {
        checkArticle(article);
        const [row] = await session.run(createArticle, article);
        return row as { articleId: string };
      },
      get: async (articleId: string): Promise<Article> =>
        theOne(
          session.run(
            getArticles,
            { articleIds: byId('articleId', articleId), limit: 1 },
            { articleIds: 'articleId' },
          ),
          'article',
          articleId,
        ),
      /**
       * Articles by key and language, optionally of one key, category, status or language
       * (limit 1 to 10,000, default 1,000).
       */
      list: async (
        filter: {
          articleKey?: string;
          category?: Category;
          articleStatus?: ArticleStatus;
          languageCode?: string;
          limit?: number;
        } = {},
      ): Promise<Article[]> => {
        checkFields(filter, {
          articleKey: text,
          category: text,
          articleStatus: text,
          languageCode: text,
          limit,
        });
        return session.run(getArticles, { articleIds: [], ...filter, limit: filter.limit ?? 1000 });
      },
      /**
       * Changes the given fields; fields left out keep their value; a new title or content bumps
       * articleVersion. usageCount and resolutionSuccessRate are the metrics worker's to write.
       */
      async update(articleId: string, changes: ArticleChanges): Promise<Article> {
        uuid('articleId', articleId);
        checkArticle(changes);
        return theOne(session.run(updateArticle, { ...changes, articleId }), 'article', articleId);
      },
    },
  };
}
