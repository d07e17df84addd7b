import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminApi } from 'src/common/auth/admin-api.decorator';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, callerAllowsShop, shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import { Actor } from 'src/common/auth/request-actor';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { BulkDiscardDeadLetters } from 'src/modules/dead-letters/application/bulk-discard-dead-letters.use-case';
import { BulkRetryDeadLetters } from 'src/modules/dead-letters/application/bulk-retry-dead-letters.use-case';
import {
  EditAndRetryDeadLetter,
  type EditAndRetryResult,
} from 'src/modules/dead-letters/application/edit-and-retry-dead-letter.use-case';
import { ReadDeadLetterActions } from 'src/modules/dead-letters/application/read-dead-letter-actions.query';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { toDeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterPageDto } from 'src/modules/dead-letters/transport/dto/dead-letter-page.dto';
import { ListDeadLettersQuery } from 'src/modules/dead-letters/transport/dto/list-dead-letters.query';
import {
  BulkDiscardDeadLettersArgs,
  BulkRetryDeadLettersArgs,
  EditDeadLetterBody,
} from 'src/modules/dead-letters/transport/inputs/bulk-dead-letters.args';
import { BulkDeadLetterResult } from 'src/modules/dead-letters/transport/models/bulk-dead-letter-result.model';
import {
  DeadLetterActionModel,
  EditedDeadLetter,
  PayloadChangeModel,
} from 'src/modules/dead-letters/transport/models/dead-letter-action.model';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';
import {
  toDeadLetterSelection,
  UNFOCUSED_FILTER_MESSAGE,
} from 'src/modules/dead-letters/transport/to-dead-letter-selection';

const VALIDATE = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** The same dead-letter actions as the GraphQL API, for operators working from Swagger at /docs. */
@AdminApi('dead-letters')
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly retry: RetryDeadLetter,
    private readonly bulkRetry: BulkRetryDeadLetters,
    private readonly bulkDiscard: BulkDiscardDeadLetters,
    private readonly editAndRetry: EditAndRetryDeadLetter,
    private readonly actions: ReadDeadLetterActions,
  ) {}

  @Post('bulk-retry')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @UsePipes(VALIDATE)
  @ApiOperation({
    summary: 'Retry, once each, one bounded batch of the dead letters a filter (or a list of ids) selects',
    description:
      'Oldest first, at most `limit` per call; `hasMore` says to call again. A dead letter retried or discarded ' +
      'already is skipped with why, so repeating a call sends nothing twice.',
  })
  @ApiBody({
    type: BulkRetryDeadLettersArgs,
    examples: {
      byFilter: {
        summary: "Shop A's orders that died on an unknown SKU this week",
        value: {
          filter: {
            shop: 'example.myshopify.com',
            topic: 'orders/create',
            reasonContains: 'unknown SKU',
            createdFrom: '2026-12-01T00:00:00Z',
          },
          limit: 100,
        },
      },
      byIds: { summary: 'Named dead letters', value: { filter: { ids: ['41', '42'] } } },
    },
  })
  @ApiOkResponse({ type: BulkDeadLetterResult })
  @ApiBadRequestResponse({ description: 'An invalid filter, or one that would take every dead letter.' })
  async retryMany(
    @Body() body: BulkRetryDeadLettersArgs,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<BulkDeadLetterResult> {
    const result = await this.bulkRetry.execute(toDeadLetterSelection(body.filter, caller), body.limit, actor);
    if (result.outcome === 'unfocused') {
      throw new BadRequestException(UNFOCUSED_FILTER_MESSAGE);
    }
    return BulkDeadLetterResult.of('retry', result.report);
  }

  @Post('bulk-discard')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @UsePipes(VALIDATE)
  @ApiOperation({
    summary: 'Discard one bounded batch of the dead letters a filter (or a list of ids) selects',
    description:
      'Each stays stored with status `discarded`, who and when (and the note) in its trail and the audit log; ' +
      'nothing is deleted. Only DEAD ones are discarded; the others are skipped with why.',
  })
  @ApiBody({
    type: BulkDiscardDeadLettersArgs,
    examples: {
      byFilter: {
        summary: 'Unexpected errors of a test shop',
        value: {
          filter: { shop: 'staging.myshopify.com', errorClass: 'UNEXPECTED' },
          note: 'test orders from the staging shop',
        },
      },
    },
  })
  @ApiOkResponse({ type: BulkDeadLetterResult })
  @ApiBadRequestResponse({ description: 'An invalid filter, or one that would take every dead letter.' })
  async discardMany(
    @Body() body: BulkDiscardDeadLettersArgs,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<BulkDeadLetterResult> {
    const selection = toDeadLetterSelection(body.filter, caller);
    const result = await this.bulkDiscard.execute(selection, body.limit, actor, body.note ?? undefined);
    if (result.outcome === 'unfocused') {
      throw new BadRequestException(UNFOCUSED_FILTER_MESSAGE);
    }
    return BulkDeadLetterResult.of('discard', result.report);
  }

  @Get()
  @RequireRole(AdminRole.Viewer)
  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
  @ApiOperation({ summary: 'List dead letters, newest first' })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid.' })
  async list(@Query() query: ListDeadLettersQuery, @Caller() caller: AdminCaller): Promise<DeadLetterPageDto> {
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    if (after === null) {
      throw new BadRequestException('after is not a cursor returned by this API');
    }
    const filter = { status: query.status, shops: shopsToList(caller, query.shop) };
    const [rows, total] = await Promise.all([
      this.deadLetters.list(filter, query.first + 1, after),
      this.deadLetters.count(filter),
    ]);
    const page = toPage(rows, query.first);
    return {
      items: page.items.map((row) => toDeadLetterView(row)),
      total,
      nextCursor: page.hasNextPage ? page.endCursor : null,
    };
  }

  @Get(':id')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: 'One dead letter' })
  @ApiOkResponse({ type: DeadLetter })
  @ApiNotFoundResponse({ description: 'No dead letter has this id.' })
  async get(@Param('id') id: string, @Caller() caller: AdminCaller): Promise<DeadLetter> {
    const row = await this.deadLetters.findById(id);
    // Another shop's dead letter is not found: a key limited to some shops learns nothing of the others.
    if (row === null || !callerAllowsShop(caller, row.shop ?? '')) {
      throw new NotFoundException('dead letter not found');
    }
    return toDeadLetterView(row);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @ApiOperation({ summary: 'Send a dead letter back through the pipeline (once)' })
  @ApiOkResponse({ type: DeadLetter, description: 'Re-published; the dead letter is now retried.' })
  @ApiNotFoundResponse({ description: 'No dead letter has this id.' })
  @ApiConflictResponse({ description: 'The dead letter was already retried, or discarded.' })
  async retryOne(@Param('id') id: string, @Caller() caller: AdminCaller, @Actor() actor: string): Promise<DeadLetter> {
    const result = await this.retry.execute(id, shopsToList(caller), actor);
    switch (result.outcome) {
      case 'retried':
        return toDeadLetterView(result.deadLetter);
      case 'not_found':
        throw new NotFoundException('dead letter not found');
      case 'already_retried':
        throw new ConflictException('dead letter was already retried');
      case 'discarded':
        throw new ConflictException('dead letter was discarded');
      default:
        return assertNever(result, 'unexpected retry outcome');
    }
  }

  @Post(':id/edit-and-retry')
  @HttpCode(HttpStatus.OK)
  @RequireRole(AdminRole.Operator)
  @UsePipes(VALIDATE)
  @ApiOperation({
    summary: "Send a dead letter again, once, with an operator's edited payload",
    description:
      "The payload is decoded as its consumer decodes it: one that would fail is refused (400, the decoder's " +
      'message) and nothing changes. The trail records who changed which paths (sensitive values redacted).',
  })
  @ApiBody({
    type: EditDeadLetterBody,
    examples: {
      fixSku: {
        summary: 'The order with a line item SKU corrected',
        value: {
          payload:
            '{"id":5612345678901,"admin_graphql_api_id":"gid://shopify/Order/5612345678901","name":"#1001","line_items":[{"id":1,"sku":"ABC-1","quantity":1,"price":"10.00"}]}',
        },
      },
    },
  })
  @ApiOkResponse({ type: EditedDeadLetter, description: 'Re-published with the edit; the dead letter is now retried.' })
  @ApiBadRequestResponse({ description: 'The payload is not what the consumer accepts, or changes nothing.' })
  @ApiNotFoundResponse({ description: 'No dead letter has this id.' })
  @ApiConflictResponse({ description: 'The dead letter was already retried or discarded.' })
  async editOne(
    @Param('id') id: string,
    @Body() body: EditDeadLetterBody,
    @Caller() caller: AdminCaller,
    @Actor() actor: string,
  ): Promise<EditedDeadLetter> {
    return editedOrThrow(
      await this.editAndRetry.execute({ id, payload: body.payload, actor, shops: shopsToList(caller) }),
    );
  }

  @Get(':id/actions')
  @RequireRole(AdminRole.Viewer)
  @ApiOperation({ summary: "A dead letter's trail: who retried, edited or discarded it, and what an edit changed" })
  @ApiOkResponse({ type: [DeadLetterActionModel] })
  @ApiNotFoundResponse({ description: 'No dead letter has this id.' })
  async trail(@Param('id') id: string, @Caller() caller: AdminCaller): Promise<DeadLetterActionModel[]> {
    const actions = await this.actions.execute(id, shopsToList(caller));
    if (actions === undefined) {
      throw new NotFoundException('dead letter not found');
    }
    return actions.map((a) => DeadLetterActionModel.of(a));
  }
}

function editedOrThrow(result: EditAndRetryResult): EditedDeadLetter {
  switch (result.outcome) {
    case 'retried':
      return {
        deadLetter: toDeadLetterView(result.deadLetter),
        changes: result.changes.map((c) => PayloadChangeModel.of(c)),
      };
    case 'invalid_payload':
      throw new BadRequestException([`payload: ${result.message}`]);
    case 'unchanged':
      throw new BadRequestException(['payload: the edited payload is the stored one; use retry to send it as it is']);
    case 'not_found':
      throw new NotFoundException('dead letter not found');
    case 'already_retried':
      throw new ConflictException('dead letter was already retried');
    case 'discarded':
      throw new ConflictException('dead letter was discarded');
    default:
      return assertNever(result, 'unexpected edit outcome');
  }
}
