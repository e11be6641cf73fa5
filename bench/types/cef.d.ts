// The npm `cef` package (a benchmark baseline only) ships no types; this is the part the bench uses.
declare module 'cef/lib/formatter.js' {
  export default class Formatter {
    constructor(config: { vendor: string; product: string; version: string });
    format(params: {
      signature: string;
      name: string;
      severity: number;
      extensions?: Record<string, unknown>;
    }): string | Error;
  }
}
