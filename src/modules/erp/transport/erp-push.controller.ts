import { Controller, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { assertNever } from 'src/common/errors/app-error';
import { HandleErpPush, type ErpPushResult } from 'src/modules/erp/application/handle-erp-push.use-case';

/** POST /webhooks/erp/:connector: a push from the ERP, verified by its connector; it only wakes delta reads. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpPushController {
  constructor(private readonly handlePush: HandleErpPush) {}

  @Post(':connector')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receive a push from the ERP (NetSuite script, Business Central subscription, Cin7 webhook)',
    description:
      'Verified with the connector’s shared secret (Business Central: clientState). It wakes the delta reads of the ' +
      'streams it concerns; the data is always read from the ERP. Business Central’s validationToken handshake is ' +
      'answered 200 with the token as text (a token over 1 KiB gets 400). A NetSuite push is signed over its ' +
      'timestamp and body, and refused outside ERP_PUSH_REPLAY_WINDOW_SECONDS.',
  })
  @ApiParam({ name: 'connector', enum: ['netsuite', 'business-central', 'cin7'] })
  @ApiResponse({
    status: 200,
    description: 'Business Central validation handshake: the token (at most 1 KiB), as text/plain with nosniff',
  })
  @ApiResponse({ status: 400, description: 'Malformed (a validation token over 1 KiB)' })
  @ApiResponse({ status: 202, description: 'Verified; the delta reads of the listed streams are scheduled' })
  @ApiResponse({ status: 401, description: 'Not verified (wrong or missing secret)' })
  @ApiResponse({ status: 404, description: 'Not the configured ERP connector' })
  @ApiResponse({ status: 413, description: 'Body over the limit' })
  async receive(
    @Param('connector') connector: string,
    @Query() query: Record<string, string | undefined>,
    @Req() req: Request & { rawBody?: Buffer },
    @Res() res: Response,
  ): Promise<void> {
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const result = await this.handlePush.execute(connector, {
      headers,
      query: Object.fromEntries(
        Object.entries(query).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]),
      ),
      rawBody: req.rawBody ?? Buffer.alloc(0),
    });
    respond(res, connector, result);
  }
}

/** The one place a push outcome becomes an HTTP answer. */
function respond(res: Response, connector: string, result: ErpPushResult): void {
  switch (result.kind) {
    case 'handshake':
      // The token is the caller's text: never let a browser sniff it into HTML.
      res.status(200).set('X-Content-Type-Options', 'nosniff').type('text/plain; charset=utf-8').send(result.body);
      return;
    case 'accepted':
      res.status(202).json({ ok: true, streams: result.streams });
      return;
    case 'rejected':
      switch (result.reason) {
        case 'unknown-connector':
          res.status(404).json({ statusCode: 404, message: `no ERP connector '${connector}' is configured here` });
          return;
        case 'unauthenticated':
          res.status(401).json({ statusCode: 401, message: 'push not verified' });
          return;
        case 'malformed':
          res.status(400).json({ statusCode: 400, message: 'not a push this ERP sends' });
          return;
        default:
          return assertNever(result.reason);
      }
    default:
      return assertNever(result);
  }
}
