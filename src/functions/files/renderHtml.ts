import { deleteObject, writeObject } from '../../adapters/s3.ts';
import { derivativeKeys } from '../../domain/files/keys.ts';
import { renderHtmlDocument } from '../../domain/files/html.ts';
import { envConfig, string } from '../shared/config.ts';
import { fileChangeHandler, sourceMetadata } from './file-changes.ts';

const config = envConfig({ outputBucket: string('OUTPUT_BUCKET') });

/** FileEventsTopic -> a sanitized HTML5 document at html/<key minus extension>.html in OutputBucket. */
export const handler = fileChangeHandler({
  async write(source) {
    const html = renderHtmlDocument(source.text, { fallbackTitle: fileTitle(source.key) });
    await writeObject(config().outputBucket, derivativeKeys(source.key).html, html, {
      contentType: 'text/html; charset=utf-8',
      metadata: sourceMetadata(source),
    });
  },
  async remove(source) {
    await deleteObject(config().outputBucket, derivativeKeys(source.key).html);
  },
});

/** The file name without folders and extension: the title of a document without a heading. */
function fileTitle(key: string): string {
  return (key.split('/').pop() ?? key).replace(/\.[^.]*$/, '');
}
