import { deleteDocument, putDocument } from '../../adapters/documents-table.ts';
import { extractMetadata } from '../../domain/files/metadata.ts';
import { envConfig, string } from '../shared/config.ts';
import { fileChangeHandler } from './file-changes.ts';

const config = envConfig({ documentsTable: string('DOCUMENTS_TABLE') });

/** FileEventsTopic -> title, outline, word count, reading time, links, images and SHA-256 in Documents. */
export const handler = fileChangeHandler({
  async write(source) {
    await putDocument(config().documentsTable, source, extractMetadata(source.text, source.bytes), new Date());
  },
  async remove(source) {
    await deleteDocument(config().documentsTable, source.key);
  },
});
