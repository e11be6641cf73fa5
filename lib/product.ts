/** Header defaults when `format.vendor`, `format.product` and `format.productVersion` are null. */
export const PRODUCT_DEFAULTS = { vendor: 'siemkit', product: 'siemkit', version: '0.1.0' } as const;
