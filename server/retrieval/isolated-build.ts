/**
 * Building an index in a child process. The parent streams the search documents and the analyzer's
 * vocabulary to a file, the child (build-worker.ts) builds and writes the index into the cache directory
 * exactly as an in-process build would, and the parent then loads it like any cached index. The build's
 * intermediate arrays live and die in the child.
 */
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../config/config.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { eachDocument } from './documents.ts';
import type { LsaOptions } from './lsa-embeddings.ts';
import type { HnswParams } from './vector-index.ts';

/** The first line of the input file; one JSON search document per line follows. */
export interface BuildJob {
  kbHash: string;
  synonyms: string[][];
  userWords: string[];
  lsa: LsaOptions;
  hnsw: HnswParams;
  cacheDir: string;
  indexDir: string;
}

/** What the child reports on its IPC channel. */
export type BuildReport = { ok: true; phases: Record<string, number> } | { ok: false; error: string };

// the worker always runs from source (under tsx), also when the service runs from the bundle in dist/
const WORKER = path.join(PROJECT_ROOT, 'server', 'retrieval', 'build-worker.ts');

export async function buildInChild(
  kb: KnowledgeBase,
  o: { cacheDir: string; indexDir: string; lsa: LsaOptions; hnsw: HnswParams },
): Promise<Record<string, number>> {
  const t0 = performance.now();
  fs.mkdirSync(o.cacheDir, { recursive: true });
  const input = path.join(o.cacheDir, `.job-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ndjson`);
  try {
    const job: BuildJob = {
      kbHash: kb.hash,
      synonyms: kb.synonyms.map((g) => [...g]),
      userWords: kb.userDict.map((e) => e.word),
      ...o,
    };
    writeLines(input, [JSON.stringify(job)], eachDocument(kb));
    const written = performance.now() - t0;
    const phases = await runWorker(input);
    return { ...phases, 'child: write input': written, child: performance.now() - t0 };
  } finally {
    fs.rmSync(input, { force: true });
  }
}

/** Writes lines in ~1 MB chunks, so only one chunk of serialised documents exists at a time. */
function writeLines(file: string, head: string[], rest: Iterable<unknown>): void {
  const fd = fs.openSync(file, 'w');
  try {
    let chunk: string[] = [...head];
    let size = 0;
    const flush = () => {
      fs.writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
      size = 0;
    };
    for (const value of rest) {
      const line = JSON.stringify(value);
      chunk.push(line);
      size += line.length;
      if (size > 1 << 19) flush();
    }
    if (chunk.length) flush();
  } finally {
    fs.closeSync(fd);
  }
}

function runWorker(input: string): Promise<Record<string, number>> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [input], { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let report: BuildReport | undefined;
    child.on('message', (m) => (report = m as BuildReport));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report?.ok) resolve(report.phases);
      else reject(new Error(report && !report.ok ? report.error : `index build child exited with ${signal ?? `code ${code}`}`));
    });
  });
}
