/**
 * The search thread (started by search-thread.ts): loads the lexical index, the vector graph and the offline
 * model from the cache directory, and embeds and ranks the queries the main thread sends. Imports nothing that
 * loads the segmenter: queries arrive analysed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRankingFiles, readManifest } from './index-files.ts';
import { LsaEmbeddings, loadLsaState } from './lsa-embeddings.ts';
import { packRanking } from './packed-ranking.ts';
import { IndexRanker } from './ranking.ts';
import type { RankMessage, SearchThreadData, SearchThreadMessage } from './search-thread.ts';

const data = workerData as SearchThreadData;
const port = parentPort!;
const send = (m: SearchThreadMessage) => port.postMessage(m);
/** Queries arrive read (LsaQuery): the thread never reads text itself. */
const noReader = (): never => {
  throw new Error('the search thread embeds queries read on the main thread only');
};

const manifest = readManifest(data.indexDir);
if (!manifest) throw new Error(`no index in ${data.indexDir}`);
if (data.facts.kinds.length !== manifest.documents) throw new Error(`the index in ${data.indexDir} is not the one the retriever loaded`);
const [files, model] = await Promise.all([
  loadRankingFiles(data.indexDir, manifest, data.efSearch),
  data.embedsQueries ? loadLsaState(data.indexDir) : undefined,
]);
const ranker = new IndexRanker(data.facts, files.lexical, files.vectors, data.fusion, {
  info() {},
  warn: (obj, msg) => send({ type: 'warn', message: 'err' in obj ? `${msg}: ${String((obj.err as Error)?.message ?? obj.err)}` : msg }),
}, model && new LsaEmbeddings(model, noReader));

port.on('message', ({ id, request }: RankMessage) => {
  ranker.rank(request).then((ranking) => packRanking(ranking, request.terms)).then(
    (ranking) => send({ type: 'ranked', id, ranking }),
    (err: unknown) => send({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) }),
  );
});
send({ type: 'ready', summary: ranker.summary() });
