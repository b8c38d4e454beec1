import { run as runConversion } from './files-convert.ts';
import { run as runPipeline } from './files-pipeline.ts';

/** `npm run bench -- files [--files N]`: conversion speed per derivative against the unsanitized baseline, then the pipeline end to end. */
export async function run(args: string[]): Promise<void> {
  await runConversion([]);
  await runPipeline(args);
}
