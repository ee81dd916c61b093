/** `npm start`: load the configuration, build the service, listen, and print what it serves. */
import v8 from 'node:v8';
import { loadConfig, ConfigError } from './config/config.ts';
import { buildApp } from './app.ts';

/**
 * V8 lets the old generation grow to about twice what survived the last full collection before it collects
 * again. The service's survivors are mostly the knowledge base and its indexes (~150 MB on 15,000 items), so
 * under load that doubling is ~150 MB of garbage held as resident memory. Growing by 30% keeps the 15k-item
 * service under 600 MB (bench/assistant.ts prints it) at no measurable cost in answers per second.
 */
v8.setFlagsFromString('--heap-growing-percent=30');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const app = await buildApp(config);
  const base = await app.listen();
  console.log(`Daoban is running (instance ${config.instanceId})`);
  console.log(`  Demo portal with the widget: ${base}/`);
  console.log(`  Navigator console:           ${base}/console`);
  console.log(`  Chat API:                    POST ${base}/api/chat`);
  console.log(`  OpenAI-compatible API:       POST ${base}/v1/chat/completions`);
  console.log(`  OpenAPI document:            ${base}/api/openapi.json`);
  const stop = async (signal: string) => {
    console.log(`${signal} received, draining...`);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
