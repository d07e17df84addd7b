import { shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import type { DeadLetterSelection } from 'src/modules/dead-letters/domain/dead-letter-selection';
import type { DeadLetterFilterInput } from 'src/modules/dead-letters/transport/inputs/dead-letter-filter.input';

/** The API's filter as the use cases take it, narrowed to the caller's shops (the guard checked `filter.shop`). */
export function toDeadLetterSelection(filter: DeadLetterFilterInput, caller: AdminCaller): DeadLetterSelection {
  const given = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
  return {
    ids: given(filter.ids),
    entity: given(filter.entity),
    topic: given(filter.topic),
    shops: shopsToList(caller, filter.shop),
    reasonContains: given(filter.reasonContains),
    errorClass: given(filter.errorClass),
    createdFrom: given(filter.createdFrom),
    createdTo: given(filter.createdTo),
    status: given(filter.status),
  };
}

/** Why a bulk call over an unfocused filter is refused, in both APIs. */
export const UNFOCUSED_FILTER_MESSAGE =
  'filter must name ids or at least one of entity, topic, reasonContains, errorClass, createdFrom, createdTo (shop and status alone would take every dead letter)';
