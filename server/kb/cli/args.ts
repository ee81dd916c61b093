/** Tiny `--name value` parser shared by the kb CLIs. */
export function parseArgs(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--/, '');
    if (!arg.startsWith('--') || !known.includes(name)) throw new Error(`unknown argument "${arg}" (expected ${known.map((k) => `--${k}`).join(', ')})`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
    out.set(name, value);
  }
  return out;
}
