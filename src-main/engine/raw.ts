// Raw Docker Engine API shapes, as the engine consumes them.
// Podman's Docker-compatible API returns the same fields but is looser about
// them (null instead of [] or {}, missing keys), so everything optional is
// typed as possibly null and read through the helpers at the bottom.

/** `Config` of `GET /images/{id}/json` (also the `config` object of a saved image config). */
export interface RawContainerConfig {
  User?: string | null
  Cmd?: string[] | null
  /** Very old engines report a string here. */
  Entrypoint?: string[] | string | null
  Env?: string[] | null
  ExposedPorts?: Record<string, unknown> | null
  Volumes?: Record<string, unknown> | null
  Labels?: Record<string, string> | null
  Healthcheck?: RawHealthcheck | null
  WorkingDir?: string | null
  StopSignal?: string | null
  Shell?: string[] | null
}

export interface RawHealthcheck {
  /** `["NONE"]`, `["CMD", …]` or `["CMD-SHELL", "…"]`. */
  Test?: string[] | null
  Interval?: number
  Timeout?: number
  StartPeriod?: number
  Retries?: number
}

/** `GET /images/{id}/json`. */
export interface RawImageInspect {
  Id: string
  RepoTags?: string[] | null
  RepoDigests?: string[] | null
  /** RFC 3339 timestamp. */
  Created?: string | null
  Size?: number | null
  Config?: RawContainerConfig | null
  Os?: string | null
  Architecture?: string | null
  RootFS?: { Type?: string | null; Layers?: string[] | null } | null
}

/** One item of `GET /images/{id}/history`, which lists NEWEST FIRST. */
export interface RawHistoryItem {
  /** An image id, or `<missing>` for steps that have no image of their own. */
  Id?: string | null
  /** Unix seconds. */
  Created?: number | null
  CreatedBy?: string | null
  Tags?: string[] | null
  /** Bytes of the layer this step made; 0 for steps without a layer. */
  Size?: number | null
  Comment?: string | null
}

/** One item of `GET /images/json`. */
export interface RawImageListItem {
  Id: string
  RepoTags?: string[] | null
  RepoDigests?: string[] | null
  /** Unix seconds. */
  Created?: number | null
  Size?: number | null
}

/** A history entry of an image config (inside a save stream), OLDEST FIRST. */
export interface RawConfigHistoryEntry {
  created?: string | null
  created_by?: string | null
  comment?: string | null
  author?: string | null
  empty_layer?: boolean | null
}

/** The image config as found in a `docker save` stream (`<id>.json` or an OCI config blob). */
export interface RawImageConfig {
  architecture?: string | null
  os?: string | null
  config?: RawContainerConfig | null
  history?: RawConfigHistoryEntry[] | null
  rootfs?: { type?: string | null; diff_ids?: string[] | null } | null
}

export const orEmptyArray = <T>(value: T[] | null | undefined): T[] => (Array.isArray(value) ? value : [])

export const orEmptyRecord = <T>(value: Record<string, T> | null | undefined): Record<string, T> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {}

/** Tags that name nothing: what the engine reports for dangling images. */
export const realTags = (tags: string[] | null | undefined): string[] =>
  orEmptyArray(tags).filter((tag) => tag !== '<none>:<none>' && tag !== '' && !tag.endsWith(':<none>'))
