/** @description One HTTP request a connector sent, as `fetch` was called. */
export interface RecordedFetch {
  method: string;
  url: URL;
  body?: string;
}

/**
 * The requests sent with the global `fetch` while `work` ran (jest spy, calling through): what a contract test
 * checks of a connector's request (method, path, query, paging) against the simulator that answers it.
 */
export async function fetchesDuring<T>(work: () => Promise<T>): Promise<{ result: T; fetches: RecordedFetch[] }> {
  const spy = jest.spyOn(globalThis, 'fetch');
  try {
    const result = await work();
    const fetches = spy.mock.calls.map(([input, init]) => ({
      method: init?.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : String(input)),
      ...(typeof init?.body === 'string' ? { body: init.body } : {}),
    }));
    return { result, fetches };
  } finally {
    spy.mockRestore();
  }
}

/** `METHOD /path?query` of a recorded request, for compact expectations. */
export function requestLine(fetch: RecordedFetch): string {
  return `${fetch.method} ${fetch.url.pathname}${fetch.url.search}`;
}
