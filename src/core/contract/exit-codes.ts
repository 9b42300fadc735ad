/** The CLI's exit codes, in one table (README's tables say the same). */
export const EXIT = { passed: 0, failed: 1, invalid: 2, abortedOrError: 3, inconclusive: 4 } as const;

/** A game day's exit code by its verdict: rehearse, start --watch and watch exit with it. */
export const EXIT_CODES = {
  PASSED: EXIT.passed,
  FAILED: EXIT.failed,
  ABORTED: EXIT.abortedOrError,
  ERROR: EXIT.abortedOrError,
  INCONCLUSIVE: EXIT.inconclusive,
} as const;
