import { assertNever } from 'src/common/errors/app-error';
import type { ErpConfig } from 'src/config/app-config';
import { createErpConnector } from 'src/modules/erp/erp-connector.factory';
import type { ErpConnectorContext } from 'src/modules/erp/port/erp-connector-context';
import type { ErpPortsByScope, ErpScope } from 'src/modules/erp/port/erp-scope';
import type { ErpPort } from 'src/modules/erp/port/erp.port';

/**
 * @description One connector per distinct scope, built on first use from the configured one with the scope's values
 * in place of NETSUITE_SUBSIDIARY_ID / NETSUITE_LOCATION_ID, BC_COMPANY_ID or CIN7_LOCATION. The configured scope is
 * the default port itself. `contextFor(namespace)` lends each the shared gate and locks, and cross-references under
 * `namespace` (the connector's name; Business Central's other companies `business-central:<companyId>`).
 */
export class ErpConnectorsByScope implements ErpPortsByScope {
  private readonly byKey = new Map<string, ErpPort>();

  constructor(
    private readonly erp: ErpConfig,
    private readonly defaultPort: ErpPort,
    private readonly contextFor: (namespace: string) => ErpConnectorContext,
  ) {}

  for(scope: ErpScope): ErpPort {
    const scoped = scopedConfig(this.erp, scope);
    if (scoped === undefined) {
      return this.defaultPort;
    }
    let port = this.byKey.get(scoped.key);
    if (port === undefined) {
      port = createErpConnector(scoped.config, this.contextFor(scoped.namespace));
      this.byKey.set(scoped.key, port);
    }
    return port;
  }
}

/** The configuration of `scope`'s connector, or undefined when it is the configured one. */
export function scopedConfig(
  erp: ErpConfig,
  scope: ErpScope,
): { key: string; namespace: string; config: ErpConfig } | undefined {
  switch (erp.connector) {
    case 'sandbox':
      return undefined;
    case 'netsuite': {
      const { subsidiaryId, locationId } = erp.netsuite;
      if (scope.netsuiteSubsidiaryId === subsidiaryId && scope.netsuiteLocationId === locationId) {
        return undefined;
      }
      return {
        key: `${scope.netsuiteSubsidiaryId ?? ''}|${scope.netsuiteLocationId ?? ''}`,
        namespace: erp.connector,
        config: {
          ...erp,
          netsuite: { ...erp.netsuite, subsidiaryId: scope.netsuiteSubsidiaryId, locationId: scope.netsuiteLocationId },
        },
      };
    }
    case 'business-central': {
      const companyId = scope.businessCentralCompanyId;
      if (companyId === undefined || companyId.toLowerCase() === erp.businessCentral.companyId.toLowerCase()) {
        return undefined;
      }
      return {
        key: companyId.toLowerCase(),
        namespace: `${erp.connector}:${companyId.toLowerCase()}`,
        config: { ...erp, businessCentral: { ...erp.businessCentral, companyId } },
      };
    }
    case 'cin7': {
      const location = scope.cin7Location;
      if (location === undefined || location === erp.cin7.location) {
        return undefined;
      }
      return { key: location, namespace: erp.connector, config: { ...erp, cin7: { ...erp.cin7, location } } };
    }
    default:
      return assertNever(erp);
  }
}
