// Reading an image export makes one buffer per HTTP chunk: about 46,000 for a 1 GB image. With V8's
// incremental marking on, that allocation rate starts a marking cycle every few dozen megabytes (about
// 60 mark-compacts and a second of CPU per GB), which made a scan 15-25 % slower than the export it
// reads (scripts/bench/RESULTS.md). Without it the buffers still die young in scavenges, and the rare
// full collection runs as one pause, of a few tens of milliseconds for the heaps a scan builds.
import { setFlagsFromString } from 'node:v8'

const THROUGHPUT_GC_FLAG = '--no-incremental-marking'

/** For Node front doors, before any scan; Electron's main process gets the flag on its command line instead. */
export function preferThroughputGarbageCollection(): void {
  setFlagsFromString(THROUGHPUT_GC_FLAG)
}
