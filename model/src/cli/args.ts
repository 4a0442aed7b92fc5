// Minimal argv parsing for the CLIs (flags: --name value, --flag, --no-flag).
export function parseArgs(argv: string[]): Map<string, string | boolean> {
  const out = new Map<string, string | boolean>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const name = a.slice(2);
    if (name.startsWith('no-')) out.set(name.slice(3), false);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(name, argv[++i]);
    else out.set(name, true);
  }
  return out;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 'USAGE',
  ) {
    super(message);
  }
}

/** Runs a CLI main; expected failures print one line (and a JSON error with --json), no stack. */
export function runCli(main: () => Promise<void>, json: boolean): void {
  main().catch((err: unknown) => {
    const code = err instanceof UsageError ? err.code : 'FAILED';
    const message = err instanceof Error ? err.message : String(err);
    console.error(`error: ${message}`);
    if (!(err instanceof UsageError) && process.env.DEBUG && err instanceof Error)
      console.error(err.stack);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  });
}
