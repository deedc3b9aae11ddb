// The built renderer, read once into memory. Only these exact paths are ever served,
// so no request path can reach outside the renderer folder.
import { readdir, readFile } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'

export interface StaticFile {
  contentType: string
  body: Buffer
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

export async function loadStaticFiles(rendererDir: string): Promise<Map<string, StaticFile>> {
  const entries = await readdir(rendererDir, { recursive: true, withFileTypes: true }).catch(() => {
    throw new Error(`The renderer is not built (${rendererDir} is missing). Run \`npm run build\` first.`)
  })
  const files = new Map<string, StaticFile>()
  for (const entry of entries) {
    if (!entry.isFile()) continue
    const contentType = CONTENT_TYPES[extname(entry.name)]
    if (!contentType) continue
    const path = join(entry.parentPath, entry.name)
    files.set('/' + relative(rendererDir, path).split(sep).join('/'), { contentType, body: await readFile(path) })
  }
  if (!files.has('/index.html')) throw new Error(`No index.html in ${rendererDir}. Run \`npm run build\` first.`)
  return files
}
