import { deleteObject, writeObject } from '../../adapters/s3.ts';
import { derivativeKeys } from '../../domain/files/keys.ts';
import { renderPlainText } from '../../domain/files/text.ts';
import { envConfig, string } from '../shared/config.ts';
import { fileChangeHandler, sourceMetadata } from './file-changes.ts';

const config = envConfig({ outputBucket: string('OUTPUT_BUCKET') });

/** FileEventsTopic -> readable plain text at text/<key minus extension>.txt in OutputBucket. */
export const handler = fileChangeHandler({
  async write(source) {
    await writeObject(config().outputBucket, derivativeKeys(source.key).text, renderPlainText(source.text), {
      contentType: 'text/plain; charset=utf-8',
      metadata: sourceMetadata(source),
    });
  },
  async remove(source) {
    await deleteObject(config().outputBucket, derivativeKeys(source.key).text);
  },
});
