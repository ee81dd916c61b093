/**
 * Loading nodejieba's dictionaries with one copy of the dictionary trie instead of two.
 *
 * nodejieba's load() builds the segmenter and, beside it, a TextRank keyword extractor that reads the same
 * dictionary file into a second trie of its own (~110 MB resident, ~0.5 s). Daoban never extracts keywords.
 * The dictionary path handed to load() is therefore a named pipe: a helper thread writes the real dictionary
 * into it for the segmenter's read and, before closing its end, renames a one-word dictionary onto the pipe's
 * path. The segmenter's read ends only when the helper closes, so the extractor, which opens the path after
 * it, can only find the one-word file. Where a pipe cannot be made, the dictionary loads the ordinary way.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import jieba from 'nodejieba';

/** nodejieba's own dictionary (its typings do not declare the path it exports). */
export const JIEBA_DICT = path.join(
  path.dirname(createRequire(import.meta.url).resolve('nodejieba/package.json')),
  'submodules', 'cppjieba', 'dict', 'jieba.dict.utf8',
);

export interface JiebaLoadOptions {
  /** The keyword extractor's IDF table; segmentation never reads it. */
  idfDict: string;
  /** The dictionary to load (nodejieba's own by default). */
  dict?: string;
}

/** How the dictionaries were loaded: `single-trie` through the pipe, `plain` by nodejieba's own load. */
export type JiebaLoadMode = 'single-trie' | 'plain';

/** A one-line dictionary is all the keyword extractor needs to construct (an empty one aborts the process). */
const EXTRACTOR_DICT = '的 318825 uj\n';

/**
 * Runs in the helper thread. The main thread is blocked inside load() meanwhile, so the helper must not need
 * it: everything it uses arrives in workerData.
 */
const FEEDER = `
const fs = require('node:fs');
const { workerData: job } = require('node:worker_threads');
const fd = fs.openSync(job.pipe, 'w');
try {
  for (let at = 0; at < job.dictionary.length; ) at += fs.writeSync(fd, job.dictionary, at);
  fs.renameSync(job.extractorDict, job.pipe);
} finally {
  fs.closeSync(fd);
}
`;

export function loadJieba(options: JiebaLoadOptions): JiebaLoadMode {
  const dict = options.dict ?? JIEBA_DICT;
  const dictionary = fs.readFileSync(dict);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-jieba-'));
  try {
    const pipe = path.join(dir, 'dict.utf8');
    if (!makePipe(pipe)) {
      jieba.load({ dict, idfDict: options.idfDict });
      return 'plain';
    }
    const extractorDict = path.join(dir, 'extractor.utf8');
    fs.writeFileSync(extractorDict, EXTRACTOR_DICT);
    const feeder = new Worker(FEEDER, { eval: true, workerData: { pipe, extractorDict, dictionary } });
    feeder.unref();
    jieba.load({ dict: pipe, idfDict: options.idfDict });
    return 'single-trie';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function makePipe(file: string): boolean {
  try {
    execFileSync('mkfifo', ['-m', '600', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
