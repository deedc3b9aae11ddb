import { describe, expect, it } from 'vitest'
import { LayerIndexBuilder, type TarMember } from '../../../src-main/engine/files/layer-index'
import { stackLayers } from '../../../src-main/engine/files/filesystem-view'
import { findCaches, findContextLeaks, findSecretFiles } from '../../../src-main/engine/files/file-markers'
import type { LayerFiles } from '../../../src-main/engine/files/types'

function layer(...members: Array<[name: string, size: number] | string>): LayerFiles {
  const builder = new LayerIndexBuilder()
  for (const member of members) {
    const [name, size] = typeof member === 'string' ? [member, 0] : member
    const tarMember: TarMember = { name, type: name.endsWith('/') ? 'dir' : 'file', size, mode: 0o644, uid: 0, gid: 0, linkName: '' }
    builder.add(tarMember)
  }
  return builder.finish()
}

describe('file markers', () => {
  it('finds a pip cache that a later RUN deleted but that still ships, and apt lists left behind', () => {
    const layers = [
      layer(['var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', 150_000], ['var/lib/apt/lists/lock', 0]),
      layer(['root/.cache/pip/http-v2/a/b', 40_000_000], ['root/.cache/pip/wheels/x.whl', 8_000_000], ['app/x.py', 10]),
      layer('root/.wh..cache')
    ]
    const caches = findCaches(layers, stackLayers(layers))
    expect(caches).toEqual([
      { kind: 'apt-lists', root: '/var/lib/apt/lists', layer: 0, bytes: 150_000, files: 1, bytesInFinal: 150_000 },
      { kind: 'pip', root: '/root/.cache/pip', layer: 1, bytes: 48_000_000, files: 2, bytesInFinal: 0 }
    ])
  })

  it('honours PIP_CACHE_DIR', () => {
    const layers = [layer(['pip-cache/http/a', 5])]
    expect(findCaches(layers, stackLayers(layers), ['/pip-cache/'])[0]).toMatchObject({ kind: 'pip', root: '/pip-cache', bytes: 5 })
  })

  it('groups context leaks of a COPY layer under their top directory, with the .dockerignore line', () => {
    const copy = layer('app/', 'app/.git/', ['app/.git/HEAD', 23], ['app/.git/objects/ab/cd', 900], ['app/main.py', 200],
      ['app/__pycache__/main.cpython-311.pyc', 300], ['app/tests/test_main.py', 50], 'app/.venv/', ['app/lib/stray.pyc', 7])
    expect(findContextLeaks(copy).map(({ kind, path, dockerignore, bytes, files }) => [kind, path, dockerignore, bytes, files])).toEqual([
      ['git', '/app/.git', '.git', 923, 2],
      ['pycache', '/app/__pycache__', '**/__pycache__', 300, 1],
      ['tests', '/app/tests', 'tests', 50, 1],
      ['virtualenv', '/app/.venv', '.venv', 0, 0],
      ['pycache', '/app/lib/stray.pyc', '**/*.pyc', 7, 1]
    ])
  })

  it('reports secret files even after a later layer deleted them, and leaves public certificates alone', () => {
    const layers = [
      layer(['etc/ssl/certs/ca-certificates.crt', 200_000], ['usr/local/lib/python3.11/site-packages/certifi/cacert.pem', 280_000]),
      layer(['app/.env', 120], ['app/.env.example', 80], ['root/.ssh/id_ed25519', 400], ['root/.ssh/id_ed25519.pub', 90], ['root/.aws/credentials', 60]),
      layer('app/.wh..env')
    ]
    expect(findSecretFiles(layers, stackLayers(layers)).map(({ kind, path, layer: index, removedLater }) => [kind, path, index, removedLater])).toEqual([
      ['dotenv', '/app/.env', 1, true],
      ['private-key', '/root/.ssh/id_ed25519', 1, false],
      ['credentials', '/root/.aws/credentials', 1, false]
    ])
  })
})
