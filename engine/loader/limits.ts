// Caps on untrusted input. Defaults may be changed in certops.yaml (spec.limits) within the
// bounds its schema allows.
export interface Limits {
  /** Largest YAML file read, in bytes. */
  maxFileBytes: number;
  /** Most aliases resolved per YAML document (alias-bomb guard). */
  maxAliases: number;
  /** Most YAML documents in one file. */
  maxDocumentsPerFile: number;
  /** Deepest flow-collection nesting accepted (the parser recurses per level). */
  maxNesting: number;
  /** Widest indentation accepted, in columns. */
  maxIndent: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 256 * 1024,
  maxAliases: 100,
  maxDocumentsPerFile: 100,
  maxNesting: 64,
  maxIndent: 256,
};
