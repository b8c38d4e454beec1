// Progress on long work (load, chaos, benchmarks): a line every few seconds, to stderr, so that the
// final tables on stdout stay as they are.

export interface Ticker {
  /** Stops the ticking; no line is printed after it. Safe to call more than once. */
  stop(): void;
}

/**
 * Prints `line(elapsedSeconds)` every `everyS` seconds until stopped (nothing when it returns ''). The timer
 * does not keep the process alive.
 */
export function startTicker(
  line: (elapsedS: number) => string,
  options: { everyS?: number; write?: (text: string) => void } = {},
): Ticker {
  const began = performance.now();
  const write = options.write ?? ((text: string) => process.stderr.write(`${text}\n`));
  const timer = setInterval(
    () => {
      const text = line(Math.round((performance.now() - began) / 1000));
      if (text) write(text);
    },
    (options.everyS ?? 5) * 1000,
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Runs `work` with a ticker printing `line` every few seconds, and stops the ticker however the work ends. */
export async function withProgress<T>(
  line: (elapsedS: number) => string,
  work: () => Promise<T>,
  options?: { everyS?: number; write?: (text: string) => void },
): Promise<T> {
  const ticker = startTicker(line, options);
  try {
    return await work();
  } finally {
    ticker.stop();
  }
}

/** What a long run is doing now, and how far it is (`done` of `total`), for a ticker to print. */
export interface Stage {
  /** Starts a new step: what runs, and how many units it has (0: not counted). */
  set(text: string, total?: number): void;
  /** How many units of the current step are done. */
  done(count: number): void;
  describe(): string;
}

export function stage(): Stage {
  let [text, total, done] = ['starting', 0, 0];
  return {
    set: (next, nextTotal = 0) => {
      [text, total, done] = [next, nextTotal, 0];
    },
    done: (count) => {
      done = count;
    },
    describe: () => (total > 0 ? `${text}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}` : text),
  };
}
