import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';

/**
 * Export files live in one folder (EXPORT_DIR), named by the export's unguessable id. A file is
 * written as `<id>.part` and renamed when complete, so a file under its final name is always
 * whole: a crash mid-export leaves only a `.part` the next attempt overwrites.
 */
export function exportPaths(config: Config, id: string, format: string) {
  const key = `${id}.${format}`;
  return { key, part: join(config.exports.dir, `${key}.part`), final: join(config.exports.dir, key) };
}

export const exportFilePath = (config: Config, key: string) => join(config.exports.dir, key);

export async function ensureExportDir(config: Config) {
  await mkdir(config.exports.dir, { recursive: true });
}

/** Removes a finished or partial file; one already gone is fine. */
export async function removeExportFile(config: Config, key: string) {
  await rm(join(config.exports.dir, key), { force: true });
}

/** A file name people recognise: the title, the date and the format. */
export function downloadName(title: string, createdAt: Date, format: string) {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'customers';
  return `${slug}-${createdAt.toISOString().slice(0, 10)}.${format}`;
}
