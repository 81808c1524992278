import type { RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import { BadRequestError } from '../../domain/errors';

/** 5 MB, as the contract says. Larger files are refused by multer while streaming (413). */
export const MAX_IMAGE_BYTES = 5_000_000;

/**
 * Multer's limit errors are MulterErrors (mapped to 413/400 in one place); a body that is not
 * valid multipart at all ("Unexpected end of form", "Malformed part header") surfaces as a plain
 * Error from busboy, which is the client's fault: 400.
 */
function readingForm(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
    middleware(req, res, (err?: unknown) => {
      if (!err || err instanceof MulterError) return next(err);
      next(new BadRequestError('The multipart body could not be read.', 'bad-multipart'));
    });
  };
}

/**
 * Reads one optional `image` file into memory (it is at most 5 MB and is checked by content
 * before anything is written). Other limits keep a hostile form from costing memory.
 */
export function imageUpload(): RequestHandler {
  return readingForm(
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 200 },
    }).single('image'),
  );
}

/** One `file` of at most `maxBytes`, for CSV imports. */
export function csvUpload(maxBytes: number): RequestHandler {
  return readingForm(
    multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 200 },
    }).single('file'),
  );
}
