import type {
  ShopifyAdminPort,
  ShopifyDocument,
  ShopifyRequestOptions,
} from 'src/modules/shopify/admin/shopify-admin.port';

/** The part of a connection `paginate` needs: `nodes` (or edges mapped to nodes by `pick`) and `pageInfo`. */
export interface ConnectionPage<TNode> {
  nodes: TNode[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * Walks a connection query page by page, forward, setting `after` to each page's `endCursor`; yields the nodes.
 * The document must declare `$after: String` and use it on the connection.
 *
 * @example
 * for await (const product of paginate(shopify, PRODUCTS_PAGE, { first: 100 }, (d) => d.products)) { … }
 */
export async function* paginate<TData, TVariables extends { after?: string | null }, TNode>(
  shopify: ShopifyAdminPort,
  document: ShopifyDocument<TData, TVariables>,
  variables: TVariables,
  pick: (data: TData) => ConnectionPage<TNode>,
  options?: ShopifyRequestOptions,
): AsyncIterable<TNode> {
  let after = variables.after ?? null;
  for (;;) {
    const { data } = await shopify.request(document, { ...variables, after }, options);
    const page = pick(data);
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) {
      return;
    }
    after = page.pageInfo.endCursor;
  }
}
