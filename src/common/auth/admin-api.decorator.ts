import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

const DEFAULT_FORBIDDEN = "The key's role or shops do not allow this.";

/**
 * What every admin REST controller says in Swagger: its tag, the bearer key it needs, 401 without a valid key and
 * 403 when the key's role or shops do not allow the call (`forbidden`, when a controller says more).
 */
export function AdminApi(tag: string, forbidden = DEFAULT_FORBIDDEN): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid API key.' }),
    ApiForbiddenResponse({ description: forbidden }),
  );
}
