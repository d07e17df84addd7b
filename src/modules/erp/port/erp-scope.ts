import type { ErpPort } from 'src/modules/erp/port/erp.port';

/**
 * @description Where one shop's writes go inside the ERP account: each connector reads only its own field (NetSuite
 * the subsidiary and location of customers and sales orders, Business Central the company every request addresses,
 * Cin7 Core the location sales are fulfilled from). Undefined fields are not sent (NetSuite) or take the connector's
 * configured value (Business Central company, Cin7 location: they cannot be left out).
 */
export interface ErpScope {
  netsuiteSubsidiaryId?: string;
  netsuiteLocationId?: string;
  businessCentralCompanyId?: string;
  cin7Location?: string;
}

/**
 * @description The ERP port for a shop's scope. Every scope shares the account's write gate (limits, breaker) and
 * keyed locks: they are one ERP account. Business Central keeps item and customer cross-references per company
 * (its ids differ per company); NetSuite and Cin7 items and customers are account-wide.
 */
export interface ErpPortsByScope {
  for(scope: ErpScope): ErpPort;
}

export const ERP_PORTS_BY_SCOPE = Symbol('ERP_PORTS_BY_SCOPE');
