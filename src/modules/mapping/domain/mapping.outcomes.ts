import type { MappingFieldError, MappingVersion } from 'src/modules/mapping/domain/order-mapping.types';

/** @description What saving a configuration came to. */
export type SaveMappingOutcome =
  | { outcome: 'saved'; version: MappingVersion; active: boolean }
  | { outcome: 'invalid'; errors: MappingFieldError[] }
  | { outcome: 'unknown_shop' };

/** @description What activating (or rolling back to) a version came to. */
export type ActivateMappingOutcome =
  { outcome: 'activated'; version: MappingVersion } | { outcome: 'not_found' } | { outcome: 'unknown_shop' };

/**
 * @description What a roll back came to: `rolled_back` names the version now active and the one it replaced (the
 * same when it was active already); a version never active is a draft, which only an activation (admin) makes live.
 */
export type RollBackMappingOutcome =
  | { outcome: 'rolled_back'; version: MappingVersion; from: number }
  | { outcome: 'never_active'; version: number }
  | { outcome: 'nothing_to_roll_back' }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_shop' };
