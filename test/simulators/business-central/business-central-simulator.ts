import type { BusinessCentralConnectorOptions } from 'src/modules/erp/connectors/business-central/business-central.types';
import {
  BusinessCentralSimulatedVendor,
  type BusinessCentralSimIdentity,
  type BusinessCentralVendorOptions,
} from 'test/simulators/business-central/business-central.vendor';
import { ErpSimulatorServer, type SimulatorConfigPatch } from 'test/simulators/common/erp-simulator';

export { BusinessCentralSimulatedVendor } from 'test/simulators/business-central/business-central.vendor';

/** @description A started-or-startable Business Central simulation and how to point the real connector at it. */
export interface BusinessCentralSimulator {
  server: ErpSimulatorServer;
  vendor: BusinessCentralSimulatedVendor;
  credentials: BusinessCentralSimIdentity;
  /** Connector options for a simulator listening at `baseUrl` (e.g. `http://127.0.0.1:4020`). */
  connectorOptions(baseUrl: string): BusinessCentralConnectorOptions;
}

/**
 * Creates a **simulated** Microsoft Dynamics 365 Business Central (API v2.0 plus Entra's token endpoint) on the
 * shared simulator server; it talks to no real Business Central. Start it with `await server.listen(port)`.
 *
 * @example
 * const bc = createBusinessCentralSimulator({ config: { latencyMs: 0 } });
 * const port = await bc.server.listen();
 * const connector = new BusinessCentralConnector(bc.connectorOptions(`http://127.0.0.1:${port}`), context);
 */
export function createBusinessCentralSimulator(
  options: { config?: SimulatorConfigPatch; vendor?: BusinessCentralVendorOptions; random?: () => number } = {},
): BusinessCentralSimulator {
  const vendor = new BusinessCentralSimulatedVendor(options.vendor);
  const server = new ErpSimulatorServer(vendor, options.config, options.random);
  return {
    server,
    vendor,
    credentials: vendor.identity,
    connectorOptions: (baseUrl: string) => {
      const root = baseUrl.replace(/\/+$/, '');
      return {
        tenantId: vendor.identity.tenantId,
        environment: vendor.identity.environment,
        companyId: vendor.identity.companyId,
        clientId: vendor.identity.clientId,
        clientSecret: vendor.identity.clientSecret,
        apiBaseUrl: `${root}/v2.0`,
        tokenUrl: `${root}/{tenantId}/oauth2/v2.0/token`,
        shippingAccountNumber: '40400',
        refundAccountNumber: '40450',
      };
    },
  };
}
