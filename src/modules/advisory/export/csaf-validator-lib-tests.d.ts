// The CSAF 2.0 mandatory tests of @secvisogram/csaf-validator-lib (JavaScript without type
// declarations), which the CSAF export's tests run next to the JSON schema.

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  type Result = {
    isValid?: boolean;
    errors?: { message: string; instancePath: string }[];
  };
  const tests: Record<string, (doc: unknown) => Result | Promise<Result>>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export default function validate(
    tests: ((doc: unknown) => unknown)[],
    doc: unknown,
  ): Promise<{
    isValid: boolean;
    tests: { name: string; isValid: boolean; errors: { message: string; instancePath: string }[] }[];
  }>;
}
