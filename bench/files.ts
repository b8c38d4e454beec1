import { run as runConversion } from './files-convert.ts';
import { run as runPipeline } from './files-pipeline.ts';
import { stage, type Stage } from '../scripts/lib/progress.ts';

/**
 * `npm run bench -- files [--files N] [--rate R]`: conversion speed per derivative against the
 * unsanitized baseline, then the pipeline end to end — paced at --rate uploads/s (default 10, under
 * its capacity: latency), and as one burst (capacity; latency is then mostly queueing).
 */
export async function run(args: string[], progress: Stage = stage()): Promise<void> {
  await runConversion([], progress);
  const paced = args.includes('--rate') ? args : [...args, '--rate', '10'];
  await runPipeline(paced, progress);
  if (!args.includes('--rate')) await runPipeline([...args, '--rate', '0'], progress);
}
