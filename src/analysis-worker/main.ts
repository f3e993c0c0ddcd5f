/**
 * The analysis worker: a `worker_threads` thread the extension starts on first use (src/editor/analysisWorker.ts)
 * so that tree-sitter parsing and the evaluation never block the extension host's thread. It runs the same
 * engine as the CLI (src/analysis/index.ts; bundled as dist/analysis.js and required from there) and answers
 * each request with the FileReport and its findings. It holds no state besides the engine's loaded grammars.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { findInitializerProblems } from '../analysis/findings';
import { analyzeText, languageOf, parserFor, setGrammarDirectory } from '../analysis/index';
import type { AnalysisWorkerData, WorkerAnswer, WorkerRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('dist/analysisWorker.js runs as a worker thread, not as a script');

setGrammarDirectory((workerData as AnalysisWorkerData).grammarDirectory);

const post = (answer: WorkerAnswer): void => port.postMessage(answer);

/** Loads the grammar the file needs (a no-op once loaded); a failure is left to analyzeText to report. */
async function grammarFor(fileName: string): Promise<void> {
  const language = languageOf(fileName);
  if (language && language !== 'json') await parserFor(language).catch(() => undefined);
}

port.on('message', (request: WorkerRequest) => {
  if (request.type !== 'analyze') return;
  let started = 0;
  grammarFor(request.fileName)
    .then(() => {
      post({ type: 'started', id: request.id });
      started = performance.now();
      return analyzeText(request.text, request.fileName, { maxBytes: request.maxBytes });
    })
    .then(
    (report) => post({ type: 'result', id: request.id, report, findings: findInitializerProblems(report), ms: performance.now() - started }),
    (error: unknown) =>
      post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
  );
});

post({ type: 'ready' });
