import type { Shop } from 'src/modules/shops/domain/shop.types';

/**
 * Runs `run` for each shop, one after the other, and returns each result with its shop's domain. A shop that fails
 * does not stop the others; the first failure is thrown once every shop ran (so that the job is retried, while the
 * shops that completed keep what they did).
 */
export async function forEachShop<T extends object>(
  shops: readonly Shop[],
  run: (shop: Shop) => Promise<T>,
): Promise<Array<T & { shop: string }>> {
  const results: Array<T & { shop: string }> = [];
  let failure: Error | undefined;
  for (const shop of shops) {
    try {
      results.push({ ...(await run(shop)), shop: shop.domain });
    } catch (error: unknown) {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
  if (failure !== undefined) {
    throw failure;
  }
  return results;
}
