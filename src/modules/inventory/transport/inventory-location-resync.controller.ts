import { Controller, HttpCode, HttpStatus, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { ResyncInventoryLocation } from 'src/modules/inventory/application/resync-inventory-location.use-case';
import { InventoryLocationResyncRequest } from 'src/modules/inventory/transport/models/inventory-location-resync-request.model';

/** The same location re-sync as the GraphQL API (`resyncInventoryLocation`), for operators in Swagger. */
@AdminApi('replay', "The key's role or shops do not allow this (operator).")
@Controller('admin/shops/:shop/inventory/locations')
export class InventoryLocationResyncController {
  constructor(private readonly resync: ResyncInventoryLocation) {}

  @Post(':location/resync')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({
    summary: 'Re-sync one stock location from the ERP to Shopify',
    description:
      "Reads the location's levels from Shopify and writes each that differs from the ERP's (under the quantity " +
      'policy), now; the other locations untouched.',
  })
  @ApiParam({ name: 'location', description: 'Its ERP id, or its numeric Shopify location id.', example: '1' })
  @ApiAcceptedResponse({ type: InventoryLocationResyncRequest })
  @ApiNotFoundResponse({ description: 'Unknown shop, or a location the shop’s mapping does not pair.' })
  async resyncLocation(
    @Param('shop') shop: string,
    @Param('location') location: string,
  ): Promise<InventoryLocationResyncRequest> {
    const result = await this.resync.execute({ shop, location });
    switch (result.outcome) {
      case 'queued':
        return result;
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'unknown_location':
        throw new NotFoundException('the shop stocks no such location (its mapping pairs none)');
    }
  }
}
