import { assertNever } from 'src/common/errors/app-error';
import type { StartPayoutsDepositResult } from 'src/modules/payouts/application/start-payouts-deposit.use-case';

/** Why an operator's payouts run was refused, as both transports answer it (404 / NOT_FOUND, 409 / CONFLICT). */
export function refusalOf(result: Exclude<StartPayoutsDepositResult, { outcome: 'queued' }>): {
  code: 'NOT_FOUND' | 'CONFLICT';
  message: string;
} {
  switch (result.outcome) {
    case 'unknown_shop':
      return { code: 'NOT_FOUND', message: 'unknown shop' };
    case 'payouts_off':
      return { code: 'CONFLICT', message: 'payouts are off: PAYOUTS_ERP_BANK_ACCOUNT is not set' };
    case 'shop_disabled':
      return { code: 'CONFLICT', message: `shop ${result.shop} is disabled` };
    case 'flow_paused':
      return {
        code: 'CONFLICT',
        message:
          `the payouts flow of shop ${result.shop} is paused (by ${result.pausedBy}` +
          `${result.reason === null ? '' : `: ${result.reason}`}); resume it first`,
      };
    default:
      return assertNever(result);
  }
}
