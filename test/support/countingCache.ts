// An AnalysisCache over a given engine whose findings rules count their calls (so a test sees how often the
// findings of a version were computed), with the errors it logged.
import { findInitializerProblems } from '../../src/analysis/findings';
import { AnalysisCache, type AnalysisEngine } from '../../src/editor/analysisCache';

export function countingFindingsCache(engine: AnalysisEngine) {
  const errors: string[] = [];
  let ruleCalls = 0;
  const cache = new AnalysisCache({
    loadEngine: async () => engine,
    maxFileSizeKB: () => 512,
    logError: (m) => errors.push(m),
    findProblems: (report) => {
      ruleCalls++;
      return findInitializerProblems(report);
    },
  });
  return { cache, errors, ruleCalls: () => ruleCalls };
}
