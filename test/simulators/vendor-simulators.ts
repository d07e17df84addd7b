import { createBusinessCentralSimulator } from 'test/simulators/business-central/business-central-simulator';
import { createCin7Simulator } from 'test/simulators/cin7/cin7-simulator';
import type { ErpSimulatorServer, SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';
import { createNetsuiteSimulator, NETSUITE_SIM_SPECIAL_ITEMS } from 'test/simulators/netsuite/netsuite-simulator';

/** The ERPs a simulator exists for, by their `ERP_CONNECTOR` name. */
export const SIMULATED_ERPS = ['netsuite', 'business-central', 'cin7'] as const;
export type SimulatedErpName = (typeof SIMULATED_ERPS)[number];

export function isSimulatedErp(name: string): name is SimulatedErpName {
  return (SIMULATED_ERPS as readonly string[]).includes(name);
}

/**
 * @description One vendor simulation on the shared core, and the environment that points the real app (its
 * connector, credentials and base URLs) at it: the same variables an operator sets for a real account.
 */
export interface VendorSimulator {
  readonly erp: SimulatedErpName;
  readonly server: ErpSimulatorServer;
  /** `ERP_CONNECTOR`, credentials and base-URL variables for a simulator listening at `baseUrl`. */
  appEnv(baseUrl: string): Record<string, string>;
}

export interface VendorSimulatorOptions {
  config?: SimulatorConfigPatch;
  /** NetSuite only: which of its two documented authentications the app uses (default OAuth 2.0 M2M). */
  netsuiteAuth?: 'oauth2-m2m' | 'tba';
  random?: () => number;
}

/**
 * Creates (does not start) the simulator of `erp`. Its fault settings start from the core's defaults plus
 * `options.config`; Cin7 keeps its vendor budget of 60 requests per minute unless `config.requestsPerMinute` says
 * otherwise.
 */
export function createVendorSimulator(erp: SimulatedErpName, options: VendorSimulatorOptions = {}): VendorSimulator {
  switch (erp) {
    case 'netsuite': {
      const sim = createNetsuiteSimulator({ config: options.config, random: options.random });
      const auth = options.netsuiteAuth ?? 'oauth2-m2m';
      const { accountId, tba, oauth2 } = sim.credentials;
      return {
        erp,
        server: sim.server,
        appEnv: (baseUrl) => ({
          ERP_CONNECTOR: 'netsuite',
          NETSUITE_ACCOUNT_ID: accountId,
          NETSUITE_BASE_URL: baseUrl,
          NETSUITE_AUTH: auth,
          ...(auth === 'tba'
            ? {
                NETSUITE_CONSUMER_KEY: tba.consumerKey,
                NETSUITE_CONSUMER_SECRET: tba.consumerSecret,
                NETSUITE_TOKEN_ID: tba.tokenId,
                NETSUITE_TOKEN_SECRET: tba.tokenSecret,
              }
            : {
                NETSUITE_CLIENT_ID: oauth2.clientId,
                NETSUITE_CERTIFICATE_ID: oauth2.certificateId,
                NETSUITE_PRIVATE_KEY: oauth2.privateKeyPem.replace(/\n/g, '\\n'),
                NETSUITE_JWT_ALGORITHM: 'PS256',
              }),
          NETSUITE_SOURCE_UPDATED_AT_FIELD: sim.vendor.setup.sourceUpdatedAtField,
          NETSUITE_DISCOUNT_ITEM_ID: NETSUITE_SIM_SPECIAL_ITEMS.discount.id,
          NETSUITE_SHIPPING_REFUND_ITEM_ID: NETSUITE_SIM_SPECIAL_ITEMS.shippingRefund.id,
          NETSUITE_ADJUSTMENT_ITEM_ID: NETSUITE_SIM_SPECIAL_ITEMS.adjustment.id,
          NETSUITE_TIME_ZONE: 'UTC',
        }),
      };
    }
    case 'business-central': {
      const sim = createBusinessCentralSimulator({ config: options.config, random: options.random });
      return {
        erp,
        server: sim.server,
        appEnv: (baseUrl) => {
          const o = sim.connectorOptions(baseUrl);
          return {
            ERP_CONNECTOR: 'business-central',
            BC_TENANT_ID: o.tenantId,
            BC_ENVIRONMENT: o.environment,
            BC_COMPANY_ID: o.companyId,
            BC_CLIENT_ID: o.clientId,
            BC_CLIENT_SECRET: o.clientSecret,
            BC_API_BASE_URL: o.apiBaseUrl ?? `${baseUrl}/v2.0`,
            BC_TOKEN_URL: o.tokenUrl ?? `${baseUrl}/{tenantId}/oauth2/v2.0/token`,
            BC_SHIPPING_ACCOUNT_NO: o.shippingAccountNumber,
            ...(o.refundAccountNumber === undefined ? {} : { BC_REFUND_ACCOUNT_NO: o.refundAccountNumber }),
          };
        },
      };
    }
    case 'cin7': {
      const sim = createCin7Simulator({ config: options.config, random: options.random });
      return {
        erp,
        server: sim.server,
        appEnv: (baseUrl) => {
          const o = sim.connectorOptions(baseUrl);
          return {
            ERP_CONNECTOR: 'cin7',
            CIN7_ACCOUNT_ID: o.accountId,
            CIN7_APPLICATION_KEY: o.applicationKey,
            CIN7_BASE_URL: o.baseUrl ?? baseUrl,
            CIN7_LOCATION: o.location,
            CIN7_TAX_RULE: o.taxRule,
            CIN7_PAYMENT_TERM: o.paymentTerm,
            CIN7_ACCOUNT_RECEIVABLE: o.accountReceivable,
            CIN7_REVENUE_ACCOUNT: o.revenueAccount,
          };
        },
      };
    }
  }
}
