/**
 * @description Steps to undo what a run started (stop the app, then the ERP), run once, last first, whether the run
 * ended, failed or was interrupted; a failing step does not keep the others from running.
 */
export class CleanupStack {
  private readonly steps: Array<() => Promise<unknown>> = [];
  private running?: Promise<void>;

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step().catch(() => undefined);
      }
    })();
    return this.running;
  }
}
