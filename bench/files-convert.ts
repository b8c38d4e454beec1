import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import MarkdownIt from 'markdown-it';
import { renderHtmlDocument, renderSafeBody } from '../src/domain/files/html.ts';
import { parse, markdown } from '../src/domain/files/markdown.ts';
import { MAX_RAW_HTML_DEPTH } from '../src/domain/files/open-tags.ts';
import { planRegions } from '../src/domain/files/regions.ts';
import { extractMetadata } from '../src/domain/files/metadata.ts';
import { documentTitle } from '../src/domain/files/outline.ts';
import { containsRawHtml, sanitizeBody } from '../src/domain/files/sanitize.ts';
import { readSource } from '../src/domain/files/source.ts';
import { taskLists } from '../src/domain/files/task-lists.ts';
import { renderPlainText } from '../src/domain/files/text.ts';
import { markdownCorpus } from './markdown-corpus.ts';
import { stage, type Stage } from '../scripts/lib/progress.ts';

/**
 * The pure conversions of the files pipeline over real-world Markdown nobody here wrote: every
 * README*.md and *.markdown under node_modules, deduplicated by content. For each derivative, ours
 * side by side with a naive baseline doing the same job, and markdown-it's parse alone as the floor.
 * The cost of safety is our HTML time over the unsanitized baseline's.
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      root: { type: 'string', default: resolve(import.meta.dirname, '..', 'node_modules') },
      seconds: { type: 'string', default: '3' },
      only: { type: 'string' },
    },
  });
  const corpus = loadCorpus(values.root);
  const minMs = Number(values.seconds) * 1000;
  const totalBytes = corpus.reduce((sum, file) => sum + file.bytes.byteLength, 0);

  const variants: Array<{ derivative: string; variant: string; convert: (file: CorpusFile) => unknown }> = [
    { derivative: 'parse', variant: 'floor: markdown-it parse only', convert: (file) => parse(file.text) },
    {
      derivative: 'html',
      variant: 'ours: renderHtmlDocument (raw-HTML regions sanitized)',
      convert: (file) => renderHtmlDocument(file.text, { fallbackTitle: file.name }),
    },
    { derivative: 'html', variant: 'ours, sanitizing every body', convert: (file) => alwaysSanitized(file) },
    {
      derivative: 'html',
      variant: 'baseline: markdown-it, raw HTML passed through',
      convert: (file) => unsanitized(file),
    },
    { derivative: 'text', variant: 'ours: renderPlainText', convert: (file) => renderPlainText(file.text) },
    {
      derivative: 'text',
      variant: 'baseline: render HTML, strip tags by regex',
      convert: (file) => strippedHtml(file),
    },
    {
      derivative: 'metadata',
      variant: 'ours: extractMetadata',
      convert: (file) => extractMetadata(file.text, file.bytes),
    },
    {
      derivative: 'metadata',
      variant: 'baseline: parse, hash, split source on spaces',
      convert: (file) => naiveMetadata(file),
    },
  ];
  if (values.only !== undefined) {
    console.log(JSON.stringify(measure(corpus, totalBytes, variants[Number(values.only)]!.convert, minMs)));
    return;
  }
  const withRawHtml = corpus.filter((file) => containsRawHtml(parse(file.text)));
  // Compared once both are put in the sanitizer's canonical form (markdown-it writes `<br>`, it `<br />`).
  const unlikeWholeBody = withRawHtml.filter(
    (file) => sanitizeBody(renderSafeBody(parse(file.text))) !== sanitizeBody(sanitizeBody(renderBody(file.text))),
  ).length;
  // Each variant in a process of its own: no JIT state or garbage of one is charged to another.
  const inChild = (index: number) => measureInChild(index, values.root, values.seconds);
  const rows = [];
  for (const [index, { derivative, variant }] of variants.entries()) {
    progress.set(`conversion ${index + 1} of ${variants.length}, ${derivative}: ${variant}`);
    rows.push({ derivative, variant, ...(await inChild(index)) });
  }
  const ratios = [];
  for (const pair of [1, 2, 3, 4, 5]) {
    progress.set(`cost of safety: pair ${pair} of 5 (ours, then the unsanitized baseline)`);
    ratios.push((await inChild(1)).msPerPass / (await inChild(3)).msPerPass);
  }
  ratios.sort((a, b) => a - b);
  const ratio = ratios[2]!;

  console.log(
    `\nfiles-convert: ${corpus.length} distinct files (${(totalBytes / 1e6).toFixed(2)} MB) from ${values.root}; ${withRawHtml.length} contain raw HTML (${percent(withRawHtml.length, corpus.length)}); each variant in a fresh process, timed passes >= ${values.seconds} s after a warm-up of >= 2 s\n`,
  );
  console.log('| derivative | variant | MB/s | files/s | ms per pass |');
  console.log('|---|---|---:|---:|---:|');
  for (const row of rows)
    console.log(
      `| ${row.derivative} | ${row.variant} | ${row.mbPerSecond.toFixed(1)} | ${row.filesPerSecond.toFixed(0)} | ${row.msPerPass.toFixed(1)} |`,
    );
  console.log(
    `\ncost of safety (HTML): ours / baseline time = ${ratio.toFixed(2)}x (goal <= 1.5x; median of 5 pairs of fresh processes: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  );
  const deepest = Math.max(...withRawHtml.map((file) => planRegions(parse(file.text)).rawDepth));
  console.log(
    `deepest raw HTML nesting (upper bound): ${deepest}; over ${MAX_RAW_HTML_DEPTH} it would be shown as text`,
  );
  console.log(
    `bodies whose structure differs from sanitizing the whole body at once: ${unlikeWholeBody} of ${withRawHtml.length}`,
  );
}

interface CorpusFile {
  name: string;
  text: string;
  bytes: Uint8Array;
}

const execute = promisify(execFile);

/** The shared corpus (markdown-corpus.ts), decoded; a file that is not UTF-8 is left out. */
function loadCorpus(root: string): CorpusFile[] {
  return markdownCorpus(root).flatMap(({ name, bytes }) => {
    const source = readSource(bytes, { maxBytes: Infinity });
    return source.ok ? [{ name: name.replace(/\.[^.]*$/, ''), text: source.value, bytes }] : [];
  });
}

function measure(corpus: CorpusFile[], totalBytes: number, convert: (file: CorpusFile) => unknown, minMs: number) {
  const pass = () => {
    for (const file of corpus) convert(file);
  };
  // Warm-up until the JIT has settled (a warm Lambda sandbox converts many files): 3 passes or 2 s.
  const warmUntil = performance.now() + 2000;
  for (let i = 0; i < 3 || performance.now() < warmUntil; i += 1) pass();
  let passes = 0;
  const started = performance.now();
  do {
    pass();
    passes += 1;
  } while (performance.now() - started < minMs);
  const seconds = (performance.now() - started) / 1000;
  return {
    mbPerSecond: (totalBytes * passes) / 1e6 / seconds,
    filesPerSecond: (corpus.length * passes) / seconds,
    msPerPass: (seconds * 1000) / passes,
  };
}

/** One variant measured by a fresh process running this file with --only (asynchronously: the progress ticker keeps ticking). */
async function measureInChild(index: number, root: string, seconds: string): Promise<ReturnType<typeof measure>> {
  const { stdout } = await execute(
    process.execPath,
    [import.meta.filename, '--only', String(index), '--root', root, '--seconds', seconds],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ReturnType<typeof measure>;
}

// The naive way: markdown-it as it comes, raw HTML rendered as written, its default link check.
const plain = new MarkdownIt({ html: true, linkify: true }).use(taskLists);

function unsanitized(file: CorpusFile): string {
  const tokens = plain.parse(file.text, {});
  return documentShell(documentTitle(tokens) ?? file.name, plain.renderer.render(tokens, plain.options, {}));
}

function alwaysSanitized(file: CorpusFile): string {
  const tokens = parse(file.text);
  return documentShell(
    documentTitle(tokens) ?? file.name,
    sanitizeBody(markdown.renderer.render(tokens, markdown.options, {})),
  );
}

function renderBody(text: string): string {
  return markdown.renderer.render(parse(text), markdown.options, {});
}

function documentShell(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${plain.utils.escapeHtml(title)}</title>\n</head>\n<body>\n<main>\n${body}</main>\n</body>\n</html>\n`;
}

function strippedHtml(file: CorpusFile): string {
  return plain
    .render(file.text)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function naiveMetadata(file: CorpusFile) {
  const tokens = plain.parse(file.text, {});
  return {
    title: documentTitle(tokens),
    words: file.text.split(/\s+/).filter(Boolean).length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
  };
}

function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

if (import.meta.main) await run(process.argv.slice(2));
