import { NotFoundError } from '../errors.js';
import {
  createCustomer,
  getCustomers,
  type ICreateCustomerParams,
  type IGetCustomersResult,
  updateCustomer,
} from '../queries/customers.queries.js';
import { assertFiniteNumber, assertValidDate, type Session } from './session.js';

export type CustomerType = 'prepaid' | 'postpaid' | 'hybrid';
export type Region = 'R9' | 'DEUR';
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

const MONEY = ['creditLimit', 'currentBalance', 'lifetimeValue', 'churnRiskScore'] as const;

function checkArguments(fields: CustomerChanges): void {
  for (const field of MONEY) assertFiniteNumber(field, fields[field] as number | null | undefined);
  for (const field of ['activatedAt', 'churnedAt'] as const)
    assertValidDate(field, fields[field] as Date | undefined);
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
    const [row] = await session.run(getCustomers, { customerIds: [customerId], limit: 1 });
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
      checkArguments(changes);
      const [row] = await session.run(updateCustomer, { ...asParams(changes), customerId });
      if (!row) throw new NotFoundError('customer', customerId);
      return get(customerId);
    },
    get,
    /** Customers by number (churned holders included) or region, oldest first. */
    async list(filter: { msisdn?: string; region?: Region; limit?: number } = {}): Promise<Customer[]> {
      return session.run(getCustomers, {
        customerIds: [],
        msisdn: filter.msisdn,
        region: filter.region,
        limit: Math.min(filter.limit ?? 1000, 10_000),
      });
    },
  };
}
export type CustomersApi = ReturnType<typeof customersApi>;
