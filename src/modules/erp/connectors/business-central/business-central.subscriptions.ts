import type { BusinessCentralClient } from 'src/modules/erp/connectors/business-central/business-central.client';
import { etagOf } from 'src/modules/erp/connectors/business-central/business-central.order-lock';
import { planSubscriptions } from 'src/modules/erp/connectors/business-central/business-central.push';
import type { BcCollection, BcSubscription } from 'src/modules/erp/connectors/business-central/business-central.types';

/**
 * @description Lists `…/api/v2.0/subscriptions`, creates the item subscription of the company for `notificationUrl`
 * when missing and renews (PATCH with If-Match) one that expires within 24 h (`planSubscriptions` decides). BC
 * performs its validation-token handshake against `notificationUrl` during both calls, so the app must already
 * answer there.
 */
export async function ensureBcPushSubscriptions(
  client: BusinessCentralClient,
  apiRoot: string,
  companyId: string,
  notificationUrl: string,
  secret: string,
): Promise<void> {
  const existing = await client.call<BcCollection<BcSubscription>>(
    'subscriptions.list',
    'GET',
    `${apiRoot}/subscriptions`,
  );
  const resources = [`/api/v2.0/companies(${companyId})/items`];
  for (const action of planSubscriptions(existing.value, resources, notificationUrl, secret, Date.now())) {
    switch (action.kind) {
      case 'create':
        await client.call('subscriptions.create', 'POST', `${apiRoot}/subscriptions`, {
          body: { notificationUrl, resource: action.resource, clientState: secret },
        });
        break;
      case 'renew':
        await client.call(
          'subscriptions.renew',
          'PATCH',
          `${apiRoot}/subscriptions('${encodeURIComponent(action.subscription.subscriptionId)}')`,
          {
            body: { notificationUrl, resource: action.subscription.resource, clientState: secret },
            ifMatch: etagOf(action.subscription),
          },
        );
        break;
      case 'keep':
        break;
    }
  }
}
