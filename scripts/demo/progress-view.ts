import { MultiBar, Presets } from 'cli-progress';
import type { FlashProgress } from 'scripts/lib/flash-sale.types';

/** Two bars on a terminal; one line every 2 s in a CI log (no cursor tricks in a file). */
export class ProgressView {
  private readonly bars?: MultiBar;
  private readonly accepted?: ReturnType<MultiBar['create']>;
  private readonly inErp?: ReturnType<MultiBar['create']>;
  private lastLine = 0;
  private stopped = false;

  constructor(
    private readonly total: number,
    tty: boolean,
  ) {
    if (tty) {
      this.bars = new MultiBar(
        {
          format: ' {label} |{bar}| {value}/{total} {note}',
          hideCursor: true,
          clearOnComplete: false,
          barsize: 40,
        },
        Presets.shades_classic,
      );
      this.accepted = this.bars.create(total, 0, { label: 'webhooks accepted', note: '' });
      this.inErp = this.bars.create(total, 0, { label: 'orders in the ERP', note: '' });
    }
  }

  update(p: FlashProgress): void {
    if (this.stopped) {
      return;
    }
    const seconds = (p.elapsedMs / 1000).toFixed(1);
    if (this.bars && this.accepted && this.inErp) {
      this.accepted.update(p.accepted, { note: p.phase === 'sending' ? `(${p.answered} answered)` : '' });
      this.inErp.update(p.inErp, {
        note: `${p.deadLetters > 0 ? `+${p.deadLetters} dead-lettered ` : ''}${p.throttled429 > 0 ? `${p.throttled429} × 429 ` : ''}${seconds} s`,
      });
      return;
    }
    if (p.phase === 'done' || p.elapsedMs - this.lastLine >= 2_000) {
      this.lastLine = p.elapsedMs;
      console.log(
        `[${seconds.padStart(6)} s] ${p.phase.padEnd(8)} webhooks accepted ${p.accepted}/${this.total} · ` +
          `orders in the ERP ${p.inErp}/${this.total} · dead letters ${p.deadLetters} · 429s ${p.throttled429}`,
      );
    }
  }

  stop(): void {
    this.stopped = true;
    this.bars?.stop();
  }
}
