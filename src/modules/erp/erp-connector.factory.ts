import { assertNever } from 'src/common/errors/app-error';
import type { ErpConfig, ErpConnectorName } from 'src/config/app-config';
import { BusinessCentralConnector } from 'src/modules/erp/connectors/business-central/business-central.connector';
import { BUSINESS_CENTRAL_DEFAULT_LIMITS } from 'src/modules/erp/connectors/business-central/business-central.constants';
import { Cin7Connector } from 'src/modules/erp/connectors/cin7/cin7.connector';
import { CIN7_DEFAULT_LIMITS } from 'src/modules/erp/connectors/cin7/cin7.constants';
import { NetsuiteConnector } from 'src/modules/erp/connectors/netsuite/netsuite.connector';
import { NETSUITE_DEFAULT_LIMITS } from 'src/modules/erp/connectors/netsuite/netsuite.constants';
import { SANDBOX_DEFAULT_LIMITS, SandboxErpConnector } from 'src/modules/erp/connectors/sandbox/sandbox.connector';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPort } from 'src/modules/erp/port/erp.port';

/** The vendor's default limits, used where ERP_MAX_CONCURRENCY / ERP_MAX_RPS are unset. */
export function defaultLimitsFor(connector: ErpConnectorName): { maxConcurrency: number; maxRps?: number } {
  switch (connector) {
    case 'sandbox':
      return SANDBOX_DEFAULT_LIMITS;
    case 'netsuite':
      return NETSUITE_DEFAULT_LIMITS;
    case 'business-central':
      return BUSINESS_CENTRAL_DEFAULT_LIMITS;
    case 'cin7':
      return CIN7_DEFAULT_LIMITS;
    default:
      return assertNever(connector);
  }
}

/** With ERP_MAX_CONCURRENCY unset, the limit learnt from the ERP's throttling never goes above this. */
export const DISCOVERY_CAP = 20;

/** @description The write gate's concurrency bounds: a hard cap, and where the learnt limit starts. */
export interface GateConcurrency {
  max: number;
  initial: number;
}

/**
 * ERP_MAX_CONCURRENCY set: a hard cap, and the learnt limit starts there. Unset: the limit is discovered, starting
 * at the vendor's default and learnt up to DISCOVERY_CAP from the ERP's own throttling.
 */
export function gateConcurrencyFor(connector: ErpConnectorName, maxConcurrency: number | undefined): GateConcurrency {
  if (maxConcurrency !== undefined) {
    return { max: maxConcurrency, initial: maxConcurrency };
  }
  const initial = defaultLimitsFor(connector).maxConcurrency;
  return { max: Math.max(DISCOVERY_CAP, initial), initial };
}

/**
 * Builds the connector ERP_CONNECTOR selects from its typed configuration section (src/config has validated and
 * parsed it). Each connector's options extend its section, so the section is handed over as it is; each vendor's
 * adapter is the only code that knows its API.
 */
export function createErpConnector(erp: ErpConfig, context: ErpConnectorContext): ErpPort {
  switch (erp.connector) {
    case 'sandbox':
      return new SandboxErpConnector(
        { baseUrl: erp.sandbox.url, paymentTermsMap: erp.sandbox.paymentTermsMap },
        context,
      );
    case 'netsuite':
      return new NetsuiteConnector(erp.netsuite, context);
    case 'business-central':
      return new BusinessCentralConnector(erp.businessCentral, context);
    case 'cin7':
      return new Cin7Connector(erp.cin7, context);
    default:
      return assertNever(erp);
  }
}
