/** Splits a stream of text chunks into lines (a line may span chunks); flush() emits a trailing partial line. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let partial = '';
  return {
    push(chunk) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    },
    flush() {
      if (partial) onLine(partial);
      partial = '';
    },
  };
}
