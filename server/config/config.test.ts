import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs fully offline on embedded defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.llm).toBeUndefined();
    expect(c.embeddings).toBeUndefined();
    expect(c.storage).toEqual({ kind: 'sqlite' });
    expect(c.redisUrl).toBeUndefined();
    expect(c.searchThread).toBe(true);
    expect(c.allowedOrigins).toEqual(['http://127.0.0.1:8080']);
  });

  it('reads the optional LLM endpoint and origins', () => {
    const c = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:9999/v1', LLM_MODEL: 'qwen', ALLOWED_ORIGINS: 'https://a.gov.cn, https://b.gov.cn' });
    expect(c.llm).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/v1', model: 'qwen', timeoutMs: 8000 });
    expect(c.allowedOrigins).toEqual(['https://a.gov.cn', 'https://b.gov.cn']);
  });

  it('ranks searches in a thread of their own when asked', () => {
    expect(loadConfig({ SEARCH_THREAD: 'false' }).searchThread).toBe(false);
  });

  it('names the variable in every error', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ STORAGE: 'mongo' })).toThrow(/STORAGE/);
    expect(() => loadConfig({ STORAGE: 'postgres' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ KB_WATCH: 'maybe' })).toThrow(/KB_WATCH/);
    expect(() => loadConfig({ SEARCH_THREAD: 'perhaps' })).toThrow(/SEARCH_THREAD/);
  });
});
