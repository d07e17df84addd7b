import {
  BadRequestException,
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
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Caller } from 'src/common/auth/admin-caller';
import { AdminRole, callerAllowsShop, shopsToList, type AdminCaller } from 'src/common/auth/admin-role';
import { RequireRole } from 'src/common/auth/require-role.decorator';
import { assertNever } from 'src/common/errors/app-error';
import { decodeCursor, toPage } from 'src/common/pagination/cursor';
import { RetryDeadLetter } from 'src/modules/dead-letters/application/retry-dead-letter.use-case';
import { toDeadLetterView } from 'src/modules/dead-letters/domain/dead-letter.view';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';
import { DeadLetterPageDto } from 'src/modules/dead-letters/transport/dto/dead-letter-page.dto';
import { ListDeadLettersQuery } from 'src/modules/dead-letters/transport/dto/list-dead-letters.query';
import { DeadLetter } from 'src/modules/dead-letters/transport/models/dead-letter.model';

/** The same dead-letter actions as the GraphQL API, for operators working from Swagger at /docs. */
@ApiTags('dead-letters')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or invalid API key.' })
@ApiForbiddenResponse({ description: "The key's role or shops do not allow this." })
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly retry: RetryDeadLetter,
  ) {}

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
  @ApiConflictResponse({ description: 'The dead letter was already retried.' })
  async retryOne(@Param('id') id: string, @Caller() caller: AdminCaller): Promise<DeadLetter> {
    const result = await this.retry.execute(id, shopsToList(caller));
    switch (result.outcome) {
      case 'retried':
        return toDeadLetterView(result.deadLetter);
      case 'not_found':
        throw new NotFoundException('dead letter not found');
      case 'already_retried':
        throw new ConflictException('dead letter was already retried');
      default:
        return assertNever(result, 'unexpected retry outcome');
    }
  }
}
