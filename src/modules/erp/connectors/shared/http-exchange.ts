import type { ErpError } from 'src/modules/erp/port/erp-error';

/** @description One HTTP request to an ERP (or its identity provider) as the connectors send it. */
export interface HttpExchangeRequest {
  method: string;
  headers: Record<string, string>;
  /** Already serialised (JSON, form). */
  body?: string;
}

/** @description The answer, with its body read to the end. */
export interface HttpExchangeAnswer {
  response: Response;
  text: string;
}

/**
 * Sends one request with the ERP request timeout and reads the answer's body to the end either way (it frees the
 * keep-alive connection, and an error answer needs it). A network failure or a timeout becomes the vendor's error
 * through `networkError`; an error the caller already normalised passes through as it is.
 */
export async function exchange(
  url: string,
  request: HttpExchangeRequest,
  timeoutMs: number,
  networkError: (cause: unknown) => ErpError,
): Promise<HttpExchangeAnswer> {
  try {
    const response = await fetch(url, { ...request, signal: AbortSignal.timeout(timeoutMs) });
    return { response, text: await response.text() };
  } catch (error: unknown) {
    throw networkError(error);
  }
}
