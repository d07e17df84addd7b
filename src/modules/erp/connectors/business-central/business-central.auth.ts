import { ErrorKind } from 'src/common/errors/app-error';
import { classifyNetworkError, parseRetryAfter, readHeader } from 'src/modules/erp/connectors/shared/http-failure';
import { ErpError } from 'src/modules/erp/port/erp-error';

/** @description What the client-credentials grant needs. */
export interface BusinessCentralTokenRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

export interface BusinessCentralTokenProviderOptions {
  requestTimeoutMs: number;
  /** Injectable for tests. */
  now?: () => number;
  fetch?: typeof fetch;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

/** Never refresh earlier than 5 minutes before expiry, nor later than when a tenth of the lifetime is left. */
const MAX_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * @description OAuth 2.0 client credentials against Microsoft Entra (api-facts §C, "S2S authentication"): `POST
 * {tokenUrl}` with `grant_type=client_credentials&client_id&client_secret&scope`. The access token is cached and
 * refreshed before `expires_in` runs out; concurrent callers share one refresh. `invalidate` drops a token the API
 * refused, so that the caller's single retry fetches a new one. Token requests go to the identity provider, not
 * through the ERP gate.
 */
export class BusinessCentralTokenProvider {
  private cached?: CachedToken;
  private pending?: Promise<CachedToken>;
  private readonly now: () => number;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly request: BusinessCentralTokenRequest,
    private readonly options: BusinessCentralTokenProviderOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** A token valid for a while yet; `cached` tells whether it came from the cache (a 401 on it is worth a retry). */
  async token(): Promise<{ accessToken: string; cached: boolean }> {
    const current = this.cached;
    if (current !== undefined && this.now() < current.refreshAt) {
      return { accessToken: current.accessToken, cached: true };
    }
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    const fresh = await this.pending;
    this.cached = fresh;
    return { accessToken: fresh.accessToken, cached: false };
  }

  /** Forgets `accessToken` if it is the cached one (the API refused it). */
  invalidate(accessToken: string): void {
    if (this.cached?.accessToken === accessToken) {
      this.cached = undefined;
    }
  }

  private async fetchToken(): Promise<CachedToken> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.request.clientId,
      client_secret: this.request.clientSecret,
      scope: this.request.scope,
    });
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(this.request.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw classifyNetworkError(error, 'Microsoft Entra token');
    }
    if (!response.ok) {
      throw classifyTokenError(response.status, text, response.headers, this.now());
    }
    return parseTokenResponse(text, this.now());
  }
}

/** Reads `{"access_token","expires_in"}`; a 200 without them is treated as a passing fault. */
export function parseTokenResponse(text: string, now: number): CachedToken {
  let json: { access_token?: unknown; expires_in?: unknown } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // handled below
  }
  const expiresIn = typeof json.expires_in === 'string' ? Number(json.expires_in) : json.expires_in;
  if (typeof json.access_token !== 'string' || typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) {
    throw new ErpError(ErrorKind.Transient, 'Microsoft Entra answered a token response without a token', {
      vendorCode: 'INVALID_TOKEN_RESPONSE',
    });
  }
  const lifetimeMs = Math.max(0, expiresIn * 1_000);
  const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs / 10);
  return { accessToken: json.access_token, expiresAt: now + lifetimeMs, refreshAt: now + lifetimeMs - margin };
}

/**
 * @description Entra answers `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret
 * provided. …"}` with 400 or 401 for bad credentials → Auth. 429 → Throttled; 5xx → Transient. The message keeps
 * the error code and the AADSTS number only: descriptions carry trace ids and can echo request values.
 */
export function classifyTokenError(
  status: number,
  body: string,
  headers?: Headers | Record<string, string>,
  now: number = Date.now(),
): ErpError {
  let error: string | undefined;
  let aadsts: string | undefined;
  try {
    const json = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    error = typeof json.error === 'string' ? json.error : undefined;
    aadsts = typeof json.error_description === 'string' ? /\bAADSTS\d+\b/.exec(json.error_description)?.[0] : undefined;
  } catch {
    // not JSON: keep the status only
  }
  const what = [error, aadsts].filter((part) => part !== undefined).join(': ');
  const suffix = what === '' ? `HTTP ${status}` : `${what}, HTTP ${status}`;
  const details = { vendorCode: error, httpStatus: status };
  if (status === 429) {
    return new ErpError(ErrorKind.Throttled, `Microsoft Entra throttled the token request (${suffix})`, {
      ...details,
      retryAfterMs: parseRetryAfter(readHeader(headers, 'retry-after'), now) ?? 1_000,
    });
  }
  if (status >= 500 || status === 408) {
    return new ErpError(ErrorKind.Transient, `Microsoft Entra token endpoint unavailable (${suffix})`, details);
  }
  return new ErpError(
    ErrorKind.Auth,
    `Microsoft Entra refused the Business Central client credentials (${suffix})`,
    details,
  );
}
