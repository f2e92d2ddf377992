// @secvisogram/csaf-validator-lib ships JavaScript without type declarations: these describe the
// two files Vigil reads, its CWE list and (in a test) the versioned catalogue it is copied from.

declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  /** MITRE CWE weaknesses (no categories or views), the list the CSAF validator checks against. */
  export const weaknesses: readonly { readonly id: string; readonly name: string }[];
}

declare module '@secvisogram/csaf-validator-lib/lib/cwec/4.17.js' {
  const catalogue: {
    readonly date: string;
    readonly weaknesses: readonly {
      readonly id: string;
      readonly name: string;
      readonly status: string;
      readonly usage?: string;
    }[];
  };
  export default catalogue;
}
