import type { MappingFieldError, MappingVersion } from 'src/modules/mapping/domain/order-mapping.types';

/** @description What saving a configuration came to. */
export type SaveMappingOutcome =
  | { outcome: 'saved'; version: MappingVersion; active: boolean }
  | { outcome: 'invalid'; errors: MappingFieldError[] }
  | { outcome: 'unknown_shop' };

/** @description What activating (or rolling back to) a version came to. */
export type ActivateMappingOutcome =
  { outcome: 'activated'; version: MappingVersion } | { outcome: 'not_found' } | { outcome: 'unknown_shop' };
