/**
 * The search thread (started by search-thread.ts): loads the index from its cache directory and ranks the
 * queries the main thread sends. Imports nothing that loads the segmenter: queries arrive analysed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadIndexFiles, readManifest } from './index-files.ts';
import { IndexRanker } from './ranking.ts';
import type { RankMessage, SearchThreadData, SearchThreadMessage } from './search-thread.ts';

const data = workerData as SearchThreadData;
const port = parentPort!;
const send = (m: SearchThreadMessage) => port.postMessage(m);

const manifest = readManifest(data.indexDir);
if (!manifest) throw new Error(`no index in ${data.indexDir}`);
const files = await loadIndexFiles(data.indexDir, manifest, data.efSearch);
const ranker = new IndexRanker(files.documents, files.lexical, files.vectors, data.fusion, {
  info() {},
  warn: (obj, msg) => send({ type: 'warn', message: 'err' in obj ? `${msg}: ${String((obj.err as Error)?.message ?? obj.err)}` : msg }),
});

port.on('message', ({ id, request }: RankMessage) => {
  ranker.rank(request).then(
    (ranking) => send({ type: 'ranked', id, ranking }),
    (err: unknown) => send({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) }),
  );
});
send({ type: 'ready', summary: ranker.summary() });
