// asl-validator ships no type declarations; this covers the part Signet's tests use.
declare module 'asl-validator' {
  interface AslValidationError {
    readonly 'Error code': string;
    readonly Message: string;
  }

  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }

  interface AslValidationOptions {
    /** Check JSONPath expressions (default true). */
    readonly checkPaths?: boolean;
    /** Check that Task resources are ARNs (default true). */
    readonly checkArn?: boolean;
  }

  /** Validates a definition; note that it writes QueryLanguage into every state it checks. */
  export default function aslValidator(
    definition: unknown,
    options?: AslValidationOptions,
  ): AslValidationResult;
}
