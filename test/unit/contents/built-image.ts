// Images for the contents tests: layer tars packed with tar-stream and read by the real archive reader,
// and the engine metadata (inspect + history, as the Engine API returns them) that goes with them.
import { analyzeImage, localImageOf } from '../../../src-main/engine'
import type { LayerFiles } from '../../../src-main/engine/files/types'
import type { ImageAnalysis, RawContainerConfig, RawHistoryItem, RawImageInspect } from '../../../src-main/engine'
import { readImageArchive } from '../../../src-main/sources/archive/archive-reader'
import { dockerArchive, packTar, sha256, streamOf, type Member } from '../files/tar-builders'

export interface StepSpec {
  /** The history's created_by, in BuildKit's form, e.g. `RUN /bin/sh -c pip install x # buildkit`. */
  createdBy: string
  /** The layer the step made; none for ENV, CMD, USER… */
  members?: Member[]
}

export interface BuiltImage {
  metadata: ImageAnalysis
  layers: LayerFiles[]
}

let imageCounter = 0

/** A debuerreotype-style root: /etc/passwd, /etc/debian_version and two setuid programs. */
export const DEBIAN_ROOT: StepSpec[] = [
  {
    createdBy: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'",
    members: [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\nappuser:x:1001:1001::/home/appuser:/bin/sh\nadmin:x:0:0::/root:/bin/sh\n' },
      { name: 'etc/debian_version', content: '12.2\n' },
      { name: 'usr/', type: 'directory' },
      { name: 'usr/bin/', type: 'directory' },
      { name: 'usr/bin/su', content: Buffer.alloc(70_000, 1), mode: 0o4755 },
      { name: 'usr/bin/passwd', content: Buffer.alloc(60_000, 2), mode: 0o4755 },
      { name: 'usr/bin/ls', content: Buffer.alloc(140_000, 3) }
    ]
  },
  { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]' }
]

/**
 * Packs each step's layer, reads the saved image with the real reader, and analyses the metadata.
 * `base` steps are also built as a local image, so the base boundary is found as on a real engine.
 */
export async function buildImage(base: StepSpec[], own: StepSpec[], config: RawContainerConfig = {}): Promise<BuiltImage> {
  const steps = [...base, ...own]
  const tars = await Promise.all(steps.filter((step) => step.members !== undefined).map((step) => packTar(step.members!)))
  const diffIds = tars.map(sha256)
  const archive = await readImageArchive(streamOf(await dockerArchive(tars, { layersFirst: false })))
  const history = (specs: StepSpec[]): RawHistoryItem[] =>
    specs.map((step) => ({ CreatedBy: step.createdBy, Size: step.members === undefined ? 0 : 1000, Created: 1_700_000_000 })).reverse()
  imageCounter += 1
  const inspect: RawImageInspect = {
    Id: `sha256:${String(imageCounter).padStart(64, '0')}`,
    RepoTags: ['example/app:1'],
    Size: tars.reduce((sum, tar) => sum + tar.length, 0),
    Config: { Env: ['PATH=/usr/local/bin:/usr/bin'], ...config },
    Os: 'linux',
    Architecture: 'amd64',
    RootFS: { Type: 'layers', Layers: diffIds }
  }
  const baseLayerCount = base.filter((step) => step.members !== undefined).length
  const baseImage = localImageOf(
    { Id: `sha256:${'b'.repeat(64)}`, RepoTags: ['example/base:1'], RootFS: { Type: 'layers', Layers: diffIds.slice(0, baseLayerCount) }, Size: 1000 },
    history(base)
  )
  const metadata = analyzeImage({ inspect, history: history(steps), localImages: [baseImage] })
  return { metadata, layers: archive.layers.map((layer) => layer.files) }
}

export const run = (command: string, members?: Member[]): StepSpec => ({ createdBy: `RUN /bin/sh -c ${command} # buildkit`, ...(members ? { members } : {}) })
export const copy = (args: string, members: Member[]): StepSpec => ({ createdBy: `COPY ${args} # buildkit`, members })
export const env = (assignment: string): StepSpec => ({ createdBy: `ENV ${assignment}` })
