/** One reason a row of a bulk registration cannot be written. */
export interface SiteRowProblem {
  /** Position of the row in the list given (0-based). */
  index: number;
  /** The CreateSiteDto field at fault, e.g. `operatorEnterpriseId` or `carriers[1]`. */
  field: string;
  /** What is wrong and what to do, for a person. */
  reason: string;
  /** Problem type slug, e.g. `operator-not-active` (the problem+json type of a single write). */
  type?: string;
}

/** Thrown by `SitesService.createMany` when any row is bad; nothing has been written. */
export class SiteRowsRejectedError extends Error {
  constructor(readonly problems: SiteRowProblem[]) {
    const rows = new Set(problems.map((problem) => problem.index)).size;
    super(
      `${rows} of the rows cannot be registered: ${problems
        .slice(0, 5)
        .map((problem) => `row ${problem.index} ${problem.field}: ${problem.reason}`)
        .join('; ')}${problems.length > 5 ? '; …' : ''}`,
    );
    this.name = 'SiteRowsRejectedError';
  }
}
