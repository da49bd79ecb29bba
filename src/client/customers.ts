import { NotFoundError } from '../errors.js';
import {
  createCustomer,
  getCustomers,
  type ICreateCustomerParams,
  type IGetCustomersResult,
  updateCustomer,
} from '../queries/customers.queries.js';
import type { Session } from './session.js';
import {
  checkFields,
  date,
  type FieldChecks,
  json,
  limit,
  number,
  oneOf,
  text,
  textList,
  uuid,
} from './validation.js';

export type CustomerType = 'prepaid' | 'postpaid' | 'hybrid';
/** The carrier's regions; a filter on another one is a mistake, not an empty answer. */
export const REGIONS = ['R9', 'DEUR'] as const;
export type Region = (typeof REGIONS)[number];
export const region = oneOf(REGIONS);
export type AccountStatus = 'active' | 'suspended' | 'inactive' | 'churned';
export type CustomerSegment = 'consumer' | 'premium' | 'small_business' | 'enterprise' | 'government';

export interface NewCustomer
  extends Omit<
    ICreateCustomerParams,
    | 'customerType'
    | 'region'
    | 'accountStatus'
    | 'customerSegment'
    | 'communicationPreferences'
    | 'accessibilityNeeds'
  > {
  customerType: CustomerType;
  region: Region;
  accountStatus?: AccountStatus;
  customerSegment?: CustomerSegment;
  communicationPreferences?: Record<string, boolean>;
  accessibilityNeeds?: string[];
}
export type CustomerChanges = Partial<Omit<NewCustomer, 'msisdn'>>;
export type Customer = IGetCustomersResult;

const CUSTOMER: FieldChecks<NewCustomer> = {
  msisdn: text,
  firstName: text,
  lastName: text,
  customerType: text,
  // the database checks the region: its sentence names the allowed ones
  region: text,
  countryCode: text,
  city: text,
  postalCode: text,
  timeZone: text,
  customerSegment: text,
  creditLimit: number,
  currentBalance: number,
  lifetimeValue: number,
  currency: text,
  accountStatus: text,
  activatedAt: date,
  churnedAt: date,
  churnRiskScore: number,
  preferredContactTime: text,
  preferredChannelId: uuid,
  preferredLanguage: text,
  communicationPreferences: json,
  accessibilityNeeds: textList,
};

function checkArguments(fields: CustomerChanges): void {
  checkFields(fields, CUSTOMER);
}

const LIST_FILTER: FieldChecks<CustomerFilter> = { msisdn: text, region, limit };
export interface CustomerFilter {
  msisdn?: string;
  region?: Region;
  /** 1 to 10,000; default 1,000. */
  limit?: number;
}

function asParams<T extends CustomerChanges>(fields: T) {
  return {
    ...fields,
    communicationPreferences: fields.communicationPreferences
      ? JSON.stringify(fields.communicationPreferences)
      : null,
    accessibilityNeeds: fields.accessibilityNeeds ?? null,
  };
}

export function customersApi(session: Session) {
  async function get(customerId: string): Promise<Customer> {
    uuid('customerId', customerId);
    const [row] = await session.run(
      getCustomers,
      { customerIds: [customerId], limit: 1 },
      { customerIds: 'customerId' },
    );
    if (!row) throw new NotFoundError('customer', customerId);
    return row;
  }
  return {
    /** Records a subscriber; churnedAt is set for a churned account when left out. */
    async create(customer: NewCustomer): Promise<Customer> {
      checkArguments(customer);
      const churnedAt =
        customer.accountStatus === 'churned' ? (customer.churnedAt ?? new Date()) : customer.churnedAt;
      const [row] = await session.run(createCustomer, { ...asParams(customer), churnedAt });
      return get((row as { customerId: string }).customerId);
    },
    /** Changes the given fields; fields left out keep their value. */
    async update(customerId: string, changes: CustomerChanges): Promise<Customer> {
      uuid('customerId', customerId);
      checkArguments(changes);
      const [row] = await session.run(updateCustomer, { ...asParams(changes), customerId });
      if (!row) throw new NotFoundError('customer', customerId);
      return get(customerId);
    },
    get,
    /** Customers by number (churned holders included) or region, oldest first. */
    async list(filter: CustomerFilter = {}): Promise<Customer[]> {
      checkFields(filter, LIST_FILTER);
      return session.run(getCustomers, {
        customerIds: [],
        msisdn: filter.msisdn,
        region: filter.region,
        limit: filter.limit ?? 1000,
      });
    },
  };
}
export type CustomersApi = ReturnType<typeof customersApi>;
