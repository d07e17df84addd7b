import type { Logger } from '@nestjs/common';
import { ErrorKind } from 'src/common/errors/app-error';
import type { MetricsService } from 'src/common/observability/metrics.service';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** Refused credentials or settings the ERP does not recognise: the operator's to fix, never the message's. */
export function isConfigurationError(error: unknown): error is ErpError {
  return error instanceof ErpError && (error.kind === ErrorKind.Auth || error.kind === ErrorKind.Configuration);
}

/**
 * The bookkeeping of one episode of "the ERP refuses our settings" (ErpWriteGate.pauseForConfiguration): the
 * answer that started it, one error line when it starts and one when it ends, and `erp_sync_erp_configuration_error`
 * (1 during the episode, else 0). The gate decides when calls pause and resume; this only remembers and tells.
 */
export class ConfigurationPause {
  private error?: ErpError;

  constructor(
    private readonly connector: string,
    private readonly logger: Logger,
    private readonly metrics?: MetricsService,
  ) {
    this.metrics?.erpConfigurationError.set({ connector }, 0);
  }

  /** The answer that started the current episode's last refusal; undefined outside an episode. */
  get problem(): ErpError | undefined {
    return this.error;
  }

  /** Starts an episode (or continues the current one) when `error` is a configuration error; says whether it was. */
  begin(error: unknown): error is ErpError {
    if (!isConfigurationError(error)) {
      return false;
    }
    if (this.error === undefined) {
      this.logger.error(
        {
          connector: this.connector,
          kind: error.kind,
          code: error.code,
          httpStatus: error.details.httpStatus,
          err: error.message,
        },
        'ERP configuration error (credentials, base URL, company or account): ERP calls paused until it is fixed, probing once per interval',
      );
      this.metrics?.erpConfigurationError.set({ connector: this.connector }, 1);
    }
    this.error = error;
    return true;
  }

  /** The circuit closed (a probe got through, or a check succeeded): the episode, if any, is over. */
  end(): void {
    if (this.error === undefined) {
      return;
    }
    this.error = undefined;
    this.metrics?.erpConfigurationError.set({ connector: this.connector }, 0);
    this.logger.log({ connector: this.connector }, 'ERP configuration works again: resuming ERP calls');
  }
}
