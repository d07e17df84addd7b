import { Body, Controller, HttpCode, HttpStatus, NotFoundException, Param, Post, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { fieldErrorsBadRequest, restValidationPipe } from 'src/common/http/rest-validation';
import { PreviewMappingChange } from 'src/modules/orders/application/preview-mapping-change.use-case';
import { PreviewOrderMapping } from 'src/modules/orders/application/preview-order-mapping.use-case';
import {
  MappingChangePreviewModel,
  OrderMappingPreviewModel,
} from 'src/modules/orders/transport/models/order-mapping-preview.model';
import {
  PreviewMappingChangeBody,
  PreviewOrderMappingBody,
} from 'src/modules/orders/transport/order-mapping-preview.args';
import { toChangedModel, toPreviewModel } from 'src/modules/orders/transport/order-mapping-preview.views';

/** The same previews as the GraphQL API, for operators working from Swagger. Nothing is sent to the ERP. */
@AdminApi('mapping', "The key's shops do not include this shop.")
@ApiNotFoundResponse({ description: 'Unknown shop, order or mapping version.' })
@UsePipes(restValidationPipe)
@Controller('admin/shops/:shop/mapping')
export class OrderMappingPreviewController {
  constructor(
    private readonly previewOrder: PreviewOrderMapping,
    private readonly previewChange: PreviewMappingChange,
  ) {}

  @Post('preview-order')
  @RequireRole(AdminRole.Viewer)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The ERP requests writing one order would send (by id or payload), and why; sends nothing' })
  @ApiOkResponse({ type: OrderMappingPreviewModel })
  @ApiBadRequestResponse({ description: 'Neither orderId nor payload, or a payload the writer cannot map.' })
  async order(@Param('shop') shop: string, @Body() body: PreviewOrderMappingBody): Promise<OrderMappingPreviewModel> {
    if (body.orderId === undefined && body.payload === undefined) {
      throw fieldErrorsBadRequest([{ field: 'orderId', message: 'give orderId or payload' }]);
    }
    const result = await this.previewOrder.execute({ shop, ...body });
    switch (result.outcome) {
      case 'previewed':
        return toPreviewModel(result.preview);
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'order_not_found':
        throw new NotFoundException('no order with this id has been written for the shop');
      case 'version_not_found':
        throw new NotFoundException('the shop has no such mapping version');
      case 'unmappable':
        throw fieldErrorsBadRequest([{ field: 'payload', message: result.reason }]);
      default:
        return assertNever(result);
    }
  }

  @Post('preview-change')
  @RequireRole(AdminRole.Viewer)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Past orders whose ERP requests a draft version would change, field by field' })
  @ApiOkResponse({ type: MappingChangePreviewModel })
  async change(
    @Param('shop') shop: string,
    @Body() body: PreviewMappingChangeBody,
  ): Promise<MappingChangePreviewModel> {
    const result = await this.previewChange.execute({ shop, ...body });
    switch (result.outcome) {
      case 'previewed':
        return { ...result, changed: result.changed.map(toChangedModel) };
      case 'unknown_shop':
        throw new NotFoundException('unknown shop');
      case 'version_not_found':
        throw new NotFoundException(`the shop has no mapping version ${body.draftVersion}`);
      default:
        return assertNever(result);
    }
  }
}
