import { Args, Query, Resolver } from '@nestjs/graphql';
import { AdminRole } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { GraphqlClientError } from 'src/common/graphql/graphql-client-error';
import { GraphqlValidationPipe } from 'src/common/graphql/graphql-validation.pipe';
import { PreviewMappingChange } from 'src/modules/orders/application/preview-mapping-change.use-case';
import { PreviewOrderMapping } from 'src/modules/orders/application/preview-order-mapping.use-case';
import {
  MappingChangePreviewModel,
  OrderMappingPreviewModel,
} from 'src/modules/orders/transport/models/order-mapping-preview.model';
import {
  PreviewMappingChangeArgs,
  PreviewOrderMappingArgs,
} from 'src/modules/orders/transport/order-mapping-preview.args';
import { toChangedModel, toPreviewModel } from 'src/modules/orders/transport/order-mapping-preview.views';

/** The mapping previews: what the order writer would send, under the active or a draft mapping. Nothing is sent. */
@Resolver()
export class OrderMappingPreviewResolver {
  constructor(
    private readonly previewOrder: PreviewOrderMapping,
    private readonly previewChange: PreviewMappingChange,
  ) {}

  @Query(() => OrderMappingPreviewModel, {
    description:
      'The exact ERP requests writing an order (by id, or a payload) would send under the active or a given ' +
      'mapping version, and each decision (mapping, ownership, stale, item and customer resolution). Sends nothing.',
  })
  // A preview sends nothing: reading it is a viewer's.
  @RequireRole(AdminRole.Viewer)
  async previewOrderMapping(
    @Args(new GraphqlValidationPipe()) args: PreviewOrderMappingArgs,
  ): Promise<OrderMappingPreviewModel> {
    let payload: unknown;
    if (args.payload !== undefined && args.payload !== null) {
      try {
        payload = JSON.parse(args.payload);
      } catch {
        throw new GraphqlClientError('payload is not JSON', 'BAD_USER_INPUT', [
          { field: 'payload', message: 'is not JSON' },
        ]);
      }
    } else if (args.orderId === undefined || args.orderId === null) {
      throw new GraphqlClientError('give orderId or payload', 'BAD_USER_INPUT', [
        { field: 'orderId', message: 'give orderId or payload' },
      ]);
    }
    const result = await this.previewOrder.execute({
      shop: args.shop,
      orderId: args.orderId ?? undefined,
      payload,
      mappingVersion: args.mappingVersion ?? undefined,
    });
    switch (result.outcome) {
      case 'previewed':
        return toPreviewModel(result.preview);
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'order_not_found':
        throw new GraphqlClientError('no order with this id has been written for the shop', 'NOT_FOUND');
      case 'version_not_found':
        throw new GraphqlClientError('the shop has no such mapping version', 'NOT_FOUND');
      case 'unmappable':
        throw new GraphqlClientError(`the order cannot be mapped: ${result.reason}`, 'BAD_USER_INPUT', [
          { field: 'payload', message: result.reason },
        ]);
      default:
        return assertNever(result);
    }
  }

  @Query(() => MappingChangePreviewModel, {
    description:
      'Replays past orders through the active and a draft mapping version and returns the orders whose ERP ' +
      'requests would differ, field by field. Sends nothing.',
  })
  // A preview sends nothing: reading it is a viewer's.
  @RequireRole(AdminRole.Viewer)
  async previewMappingChange(
    @Args(new GraphqlValidationPipe()) args: PreviewMappingChangeArgs,
  ): Promise<MappingChangePreviewModel> {
    const result = await this.previewChange.execute({
      shop: args.shop,
      draftVersion: args.draftVersion,
      last: args.last,
      since: args.since ?? undefined,
      until: args.until ?? undefined,
    });
    switch (result.outcome) {
      case 'previewed':
        return { ...result, changed: result.changed.map(toChangedModel) };
      case 'unknown_shop':
        throw new GraphqlClientError('unknown shop', 'NOT_FOUND');
      case 'version_not_found':
        throw new GraphqlClientError(`the shop has no mapping version ${args.draftVersion}`, 'NOT_FOUND');
      default:
        return assertNever(result);
    }
  }
}
