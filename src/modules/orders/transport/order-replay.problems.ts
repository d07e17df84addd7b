import type { ReplayTargetProblem } from 'src/modules/orders/domain/order-replay';
import { MAX_REPLAY_ORDER_IDS, MAX_REPLAY_RANGE_DAYS } from 'src/modules/orders/domain/order-replay';

/** A replay request's problem as the field it is about and what is wrong, for GraphQL and REST alike. */
export const REPLAY_PROBLEMS: Record<ReplayTargetProblem | 'range-and-ids', { field: string; message: string }> = {
  empty: { field: 'createdFrom', message: 'give createdFrom and createdTo, or orderIds' },
  'too-many-ids': { field: 'orderIds', message: `may name at most ${MAX_REPLAY_ORDER_IDS} orders` },
  'bad-order-id': { field: 'orderIds', message: 'must hold Shopify order ids' },
  'range-reversed': { field: 'createdTo', message: 'must not be before createdFrom (give both)' },
  'range-too-wide': { field: 'createdTo', message: `must be at most ${MAX_REPLAY_RANGE_DAYS} days after createdFrom` },
  'range-and-ids': { field: 'orderIds', message: 'give either orderIds or a created-at range, not both' },
};
