import { Injectable } from '@nestjs/common';
import { checkEditedPayload } from 'src/modules/dead-letters/application/check-edited-payload';
import { DeadLetterReplay } from 'src/modules/dead-letters/application/dead-letter-replay';
import type { PayloadChange } from 'src/modules/dead-letters/domain/dead-letter-action';
import type { DeadLetterRow } from 'src/modules/dead-letters/domain/dead-letter.types';
import { diffPayload } from 'src/modules/dead-letters/domain/diff-payload';
import { DeadLetterRepository } from 'src/modules/dead-letters/persistence/dead-letter.repository';

export interface EditAndRetryInput {
  id: string;
  /** The whole edited message body, as JSON text (kept byte for byte: ids above 2^53 stay exact). */
  payload: string;
  actor: string;
  /** The shops the operator may act on (undefined: every shop). */
  shops?: readonly string[];
}

export type EditAndRetryResult =
  | { outcome: 'retried'; deadLetter: DeadLetterRow; changes: PayloadChange[] }
  | { outcome: 'not_found' }
  | { outcome: 'already_retried' }
  | { outcome: 'discarded' }
  | { outcome: 'invalid_payload'; message: string }
  | { outcome: 'unchanged' };

/**
 * An operator's fix of a dead letter's data: the edited payload is decoded as its consumer will decode it (a payload
 * that would fail is refused with the decoder's message, nothing changed), then sent once through the pipeline in
 * place of the stored one. The dead letter's trail records who edited which paths (before/after, sensitive values
 * redacted) and the audit log names the editor and the paths. The stored message stays as it was: the original
 * remains for comparison, and a replay that dies again is a new dead letter holding the edited body.
 */
@Injectable()
export class EditAndRetryDeadLetter {
  constructor(
    private readonly repository: DeadLetterRepository,
    private readonly replay: DeadLetterReplay,
  ) {}

  async execute(input: EditAndRetryInput): Promise<EditAndRetryResult> {
    const deadLetter = await this.repository.findById(input.id);
    if (deadLetter === null || (input.shops !== undefined && !input.shops.includes(deadLetter.shop ?? ''))) {
      return { outcome: 'not_found' };
    }
    if (deadLetter.status !== 'dead') {
      return { outcome: deadLetter.status === 'retried' ? 'already_retried' : 'discarded' };
    }
    const body = Buffer.from(input.payload, 'utf8');
    const check = checkEditedPayload(deadLetter.topic ?? '', deadLetter.shopifyId, body);
    if (!check.valid) {
      return { outcome: 'invalid_payload', message: check.message };
    }
    const changes = diffPayload(parseOrNull(deadLetter.body), JSON.parse(input.payload));
    if (changes.length === 0) {
      return { outcome: 'unchanged' };
    }
    if (!(await this.replay.replay(deadLetter, input.actor, { body, changes }))) {
      const now = await this.repository.findById(input.id);
      return { outcome: now?.status === 'discarded' ? 'discarded' : 'already_retried' };
    }
    return {
      outcome: 'retried',
      deadLetter: { ...deadLetter, status: 'retried', retriedAt: new Date(), retriedBy: input.actor },
      changes,
    };
  }
}

/** The stored body as JSON; null when it never was JSON (then every path of the edit is new). */
function parseOrNull(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
