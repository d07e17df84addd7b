import { JobName } from 'src/common/jobs/job-catalogue';
import type { AppConfig } from 'src/config/app-config';
import { Flow, type FlowPauses } from 'src/modules/flows';
import { StartPayoutsDeposit } from 'src/modules/payouts/application/start-payouts-deposit.use-case';
import type { Shop, ShopDirectory } from 'src/modules/shops';

const SHOP = 'test-store.myshopify.com';
const ACCOUNTS = { bank: '101', clearing: '102', fees: '601', adjustments: '102', disputes: '102' };

describe('StartPayoutsDeposit', () => {
  function setup(options: { payouts?: boolean; enabled?: boolean; paused?: boolean } = {}) {
    const shop = { domain: SHOP, enabled: options.enabled ?? true } as Shop;
    const shops = { find: jest.fn((domain: string) => Promise.resolve(domain === SHOP ? shop : undefined)) };
    const flows = {
      pauseOf: jest.fn((s: string, flow: Flow) =>
        Promise.resolve(
          options.paused === true && s === SHOP && flow === Flow.Payouts
            ? { shop: s, flow, pausedAt: new Date(), pausedBy: 'api-key:ops (#2)', reason: 'month-end' }
            : undefined,
        ),
      ),
    };
    const config = { payouts: options.payouts === false ? undefined : ACCOUNTS } as unknown as AppConfig;
    const queue = { add: jest.fn(() => Promise.resolve({ id: 42, timestamp: Date.parse('2026-12-07T20:00:00Z') })) };
    const useCase = new StartPayoutsDeposit(
      shops as unknown as ShopDirectory,
      flows as unknown as FlowPauses,
      config,
      queue as never,
    );
    return { useCase, queue };
  }

  it('queues a one-off run of the payouts job for the shop, naming the operator', async () => {
    const { useCase, queue } = setup();
    const result = await useCase.execute({ shop: 'Test-Store.myshopify.com', actor: 'api-key:ops (#2)' });
    expect(result).toEqual({
      outcome: 'queued',
      shop: SHOP,
      jobId: '42',
      queuedAt: new Date('2026-12-07T20:00:00Z'),
    });
    expect(queue.add).toHaveBeenCalledWith(
      JobName.DepositPayouts,
      { shop: SHOP, requestedBy: 'api-key:ops (#2)' },
      expect.objectContaining({ removeOnComplete: 50 }),
    );
  });

  it.each([
    ['an unknown shop', { shop: 'nowhere.myshopify.com' }, {}, { outcome: 'unknown_shop' }],
    ['payouts off', {}, { payouts: false }, { outcome: 'payouts_off' }],
    ['a disabled shop', {}, { enabled: false }, { outcome: 'shop_disabled', shop: SHOP }],
    [
      'a paused payouts flow',
      {},
      { paused: true },
      { outcome: 'flow_paused', shop: SHOP, pausedBy: 'api-key:ops (#2)', reason: 'month-end' },
    ],
  ])('refuses %s and queues nothing', async (_what, input, options, expected) => {
    const { useCase, queue } = setup(options);
    expect(await useCase.execute({ shop: SHOP, actor: 'api-key:ops (#2)', ...input })).toEqual(expected);
    expect(queue.add).not.toHaveBeenCalled();
  });
});
