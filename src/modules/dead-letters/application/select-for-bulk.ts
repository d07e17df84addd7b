import {
  isUnfocusedSelection,
  type BulkSkipReason,
  type DeadLetterSelection,
} from 'src/modules/dead-letters/domain/dead-letter-selection';
import type { DeadLetterSummary } from 'src/modules/dead-letters/domain/dead-letter.view';
import type { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

/** One batch of a bulk action: the dead letters to act on, the named ids not found, and whether more match. */
export interface BulkBatch {
  rows: DeadLetterSummary[];
  notFound: Array<{ id: string; reason: BulkSkipReason }>;
  hasMore: boolean;
}

/**
 * The batch a bulk action takes, oldest first. Named ids are read whatever their status (an id already retried or
 * discarded is reported as such, not silently dropped), and each id not found (or another shop's) is reported;
 * a filter alone selects `dead` ones unless a status is given. Undefined for an unfocused selection (refused).
 */
export async function selectForBulk(
  repository: DeadLetterRepository,
  selection: DeadLetterSelection,
  limit: number,
): Promise<BulkBatch | undefined> {
  if (isUnfocusedSelection(selection)) {
    return undefined;
  }
  const effective: DeadLetterSelection =
    selection.ids === undefined ? { ...selection, status: selection.status ?? 'dead' } : selection;
  const named = selection.ids === undefined ? undefined : [...new Set(selection.ids)].slice(0, limit);
  const found = await repository.select(named === undefined ? effective : { ...effective, ids: named }, limit + 1);
  const rows = found.slice(0, limit);
  const seen = new Set(rows.map((r) => r.id));
  const notFound = (named ?? []).filter((id) => !seen.has(id)).map((id) => ({ id, reason: 'not_found' as const }));
  const hasMore = named === undefined ? found.length > limit : (selection.ids?.length ?? 0) > limit;
  return { rows, notFound, hasMore };
}
