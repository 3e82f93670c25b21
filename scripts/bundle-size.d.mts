/** One package's browser bundle (see bundle-size.mjs). */
export interface Bundle {
  readonly package: string;
  /** Node built-ins the bundle imports, with the importing file; empty for a browser-safe entry. */
  readonly nodeBuiltins: readonly string[];
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Bare imports left external (TensorFlow.js packages). */
  readonly externals: readonly string[];
}

/** Packages whose main entry must run in a browser. */
export declare const browserPackages: readonly string[];

/** Bundles `packages/<name>/src/<entry>.ts` for the browser and measures it. */
export declare function measureBundle(name: string, entry?: string): Promise<Bundle>;
