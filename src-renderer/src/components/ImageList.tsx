import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ImageSummary } from '../../../src-main/engine/model'
import { useApi } from '../api/ApiContext'
import { useResult } from '../api/useResult'
import { formatAbsoluteTime, formatBytes, formatRelativeTime, plural, shortId } from '../format'
import { navigate } from '../routing'
import { EmptyState, ErrorState, Skeleton } from './States'

type SortKey = 'name' | 'size' | 'created' | 'layers'
type Direction = 'ascending' | 'descending'

const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean; firstDirection: Direction }> = [
  { key: 'name', label: 'Name', numeric: false, firstDirection: 'ascending' },
  { key: 'size', label: 'Size', numeric: true, firstDirection: 'descending' },
  { key: 'created', label: 'Created', numeric: true, firstDirection: 'descending' },
  { key: 'layers', label: 'Layers', numeric: true, firstDirection: 'descending' }
]

/** `generation` changes whenever the list should be read again: Refresh, or the engine's image events. */
export function ImageList({ generation, onRetry }: { generation: string; onRetry: () => void }) {
  const api = useApi()
  const images = useResult(() => api.listImages(), `images:${generation}`)
  const [query, setQuery] = useState('')
  const [showDangling, setShowDangling] = useState(true)
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: 'created', direction: 'descending' })

  const all = images.status === 'ok' ? images.value : images.status === 'loading' ? images.previous : undefined
  const visible = useMemo(() => (all ? sortImages(filterImages(all, query, showDangling), sort.key, sort.direction) : []), [all, query, showDangling, sort])

  if (images.status === 'error') {
    return <ErrorState title="The image list could not be loaded" error={images.error} onRetry={onRetry} />
  }
  if (all === undefined) {
    return (
      <section className="panel" aria-busy="true" aria-label="Loading images">
        <Skeleton lines={8} />
      </section>
    )
  }
  if (all.length === 0) {
    return (
      <EmptyState title="This engine has no images yet">
        <p>Build or pull an image: it shows up here on its own. For example:</p>
        <pre className="code-block">docker build -t myapp .{'\n'}docker pull python:3.12-slim</pre>
      </EmptyState>
    )
  }

  const danglingCount = all.filter((image) => image.dangling).length
  const toggleSort = (key: SortKey) => {
    const column = COLUMNS.find((candidate) => candidate.key === key)
    if (column === undefined) return
    setSort((before) =>
      before.key === key
        ? { key, direction: before.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: column.firstDirection }
    )
  }

  return (
    <section className="panel image-list" aria-labelledby="image-list-title">
      <div className="toolbar">
        <h1 id="image-list-title" className="toolbar-title">
          Images <span className="count-pill">{all.length}</span>
        </h1>
        <input
          type="search"
          className="search"
          placeholder="Search name, tag or id"
          aria-label="Search images by name, tag or id"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="toggle">
          <input type="checkbox" checked={showDangling} disabled={danglingCount === 0} onChange={(event) => setShowDangling(event.target.checked)} />
          Show dangling <span className="muted">({danglingCount})</span>
        </label>
      </div>
      <ImageTable images={visible} sort={sort} onSort={toggleSort} />
      {visible.length === 0 && (
        <p className="table-empty">
          No image matches “{query}”{!showDangling && danglingCount > 0 ? ' among the tagged images' : ''}.{' '}
          <button type="button" className="link-button" onClick={() => setQuery('')}>
            Clear the search
          </button>
        </p>
      )}
      <p className="table-footnote">
        Showing {plural(visible.length, 'image')} of {all.length}.
        {danglingCount > 0 && (
          <>
            {' '}
            Dangling images (<code>&lt;none&gt;</code>) are untagged leftovers of rebuilds; <code>docker image prune</code> removes them.
          </>
        )}
      </p>
    </section>
  )
}

function ImageTable({
  images,
  sort,
  onSort
}: {
  images: ImageSummary[]
  sort: { key: SortKey; direction: Direction }
  onSort: (key: SortKey) => void
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null)

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, image: ImageSummary) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      navigate({ view: 'image', ref: image.id })
      return
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    const rows = Array.from(bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr') ?? [])
    const position = rows.indexOf(event.currentTarget)
    rows[position + (event.key === 'ArrowDown' ? 1 : -1)]?.focus()
  }

  return (
    <table className="data-table images-table">
      <thead>
        <tr>
          {COLUMNS.slice(0, 1).map((column) => (
            <SortableHeader key={column.key} column={column} sort={sort} onSort={onSort} />
          ))}
          <th scope="col">Image ID</th>
          {COLUMNS.slice(1).map((column) => (
            <SortableHeader key={column.key} column={column} sort={sort} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {images.map((image) => (
          <tr
            key={image.id}
            tabIndex={0}
            className={image.dangling ? 'image-row image-row--dangling' : 'image-row'}
            aria-label={`Open ${displayName(image)}`}
            onClick={() => navigate({ view: 'image', ref: image.id })}
            onKeyDown={(event) => onRowKey(event, image)}
          >
            <td className="image-name-cell">
              <ImageName image={image} />
            </td>
            <td>
              <code className="image-id" title={image.id}>
                {shortId(image.id)}
              </code>
            </td>
            <td className="numeric">{formatBytes(image.size)}</td>
            <td className="numeric" title={formatAbsoluteTime(image.created)}>
              {formatRelativeTime(image.created)}
            </td>
            <td className="numeric">{image.layerCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function SortableHeader({
  column,
  sort,
  onSort
}: {
  column: (typeof COLUMNS)[number]
  sort: { key: SortKey; direction: Direction }
  onSort: (key: SortKey) => void
}) {
  const active = sort.key === column.key
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'} className={column.numeric ? 'numeric' : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
        {column.label}
        <span className={active ? 'sort-arrow sort-arrow--active' : 'sort-arrow'} aria-hidden="true">
          {active && sort.direction === 'ascending' ? '▲' : '▼'}
        </span>
      </button>
    </th>
  )
}

function ImageName({ image }: { image: ImageSummary }) {
  const tags = taggedNames(image)
  if (tags.length === 0) {
    return (
      <span className="image-name image-name--none">
        <span>&lt;none&gt;</span>
        <span className="badge badge--neutral">dangling</span>
      </span>
    )
  }
  const [first, ...others] = tags
  const [repository, tag] = splitTag(first ?? '')
  return (
    <span className="image-name">
      <span className="image-repo">{repository}</span>
      <span className="image-tag">:{tag}</span>
      {others.length > 0 && (
        <span className="badge badge--neutral" title={others.join('\n')}>
          +{plural(others.length, 'tag')}
        </span>
      )}
    </span>
  )
}

export function taggedNames(image: { repoTags: string[] }): string[] {
  return image.repoTags.filter((tag) => tag !== '<none>:<none>')
}

export function displayName(image: { repoTags: string[]; id: string }): string {
  return taggedNames(image)[0] ?? `<none> (${shortId(image.id)})`
}

function splitTag(name: string): [string, string] {
  const colon = name.lastIndexOf(':')
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, 'latest']
}

function filterImages(images: ImageSummary[], query: string, showDangling: boolean): ImageSummary[] {
  const needle = query.trim().toLowerCase()
  return images.filter((image) => {
    if (!showDangling && image.dangling) return false
    if (needle === '') return true
    const id = image.id.replace(/^sha256:/, '')
    return id.startsWith(needle.replace(/^sha256:/, '')) || taggedNames(image).some((tag) => tag.toLowerCase().includes(needle))
  })
}

function sortImages(images: ImageSummary[], key: SortKey, direction: Direction): ImageSummary[] {
  const sign = direction === 'ascending' ? 1 : -1
  const measure = (left: ImageSummary, right: ImageSummary): number => {
    switch (key) {
      case 'name':
        return 0
      case 'size':
        return left.size - right.size
      case 'created':
        return Date.parse(left.created) - Date.parse(right.created)
      case 'layers':
        return left.layerCount - right.layerCount
    }
  }
  const byName = (left: ImageSummary, right: ImageSummary): number => {
    const order = compareNames(left, right)
    return key === 'name' ? sign * order : order
  }
  return [...images].sort((left, right) => sign * measure(left, right) || danglingLast(left, right) || byName(left, right))
}

function danglingLast(left: ImageSummary, right: ImageSummary): number {
  return Number(taggedNames(left).length === 0) - Number(taggedNames(right).length === 0)
}

function compareNames(left: ImageSummary, right: ImageSummary): number {
  return (taggedNames(left)[0] ?? '').localeCompare(taggedNames(right)[0] ?? '') || left.id.localeCompare(right.id)
}
