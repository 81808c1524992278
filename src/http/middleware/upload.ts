import multer from 'multer';

/** 5 MB, as the contract says. Larger files are refused by multer while streaming (413). */
export const MAX_IMAGE_BYTES = 5_000_000;

/**
 * Reads one optional `image` file into memory (it is at most 5 MB and is checked by content
 * before anything is written). Other limits keep a hostile form from costing memory.
 */
export function imageUpload() {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 200 },
  }).single('image');
}

/** One `file` of at most 5 MiB, for CSV imports. */
export function csvUpload(maxBytes: number) {
  return multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 200 },
  }).single('file');
}
