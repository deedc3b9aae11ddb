import type Docker from 'dockerode'
import type { Readable } from 'node:stream'
import { readImageArchive, type ArchiveImage, type ArchiveReadOptions } from './archive-reader'

/**
 * Streams the engine's export of one image (GET /images/{name}/get) through the archive reader.
 * The export holds just that image, so no name is needed to pick it (and an id would match no tag).
 */
export async function readSavedImage(
  client: Docker,
  nameOrId: string,
  options: Omit<ArchiveReadOptions, 'imageRef'> = {}
): Promise<ArchiveImage> {
  const stream = (await client.getImage(nameOrId).get()) as Readable
  return readImageArchive(stream, options)
}
