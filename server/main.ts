/** `npm start`: load the configuration, build the service, listen, and print what it serves. */
import { loadConfig, ConfigError } from './config/config.ts';
import { buildApp } from './app.ts';

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
