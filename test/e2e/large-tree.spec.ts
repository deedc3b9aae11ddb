// A tree of 100,000 entries: the DOM stays small and scrolling keeps drawing frames.
// Frame timings are printed for the record, never asserted (no timed assertions).
import { MANY_FILES_COUNT, MANY_FILES_IMAGE } from './many-files-image'
import { expect, openApp, scanToEnd, test } from './server'

test('the explorer scrolls through 100,000 files with a bounded number of rows in the DOM', async ({ page }) => {
  const status = await scanToEnd(MANY_FILES_IMAGE)
  expect(status.state).toBe('done')
  const lastLayer = status.analysis.layers.length - 1

  await openApp(page, `#/image/${encodeURIComponent(MANY_FILES_IMAGE)}`)
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-state', 'done')
  const explorer = page.locator('#files-section')
  await explorer.locator(`.layer-item[data-layer-index="${lastLayer}"]`).click()
  const tree = page.getByTestId('file-tree')
  await expect(tree.locator('[role="treeitem"]').first()).toBeVisible()
  await explorer.getByRole('button', { name: 'Expand all' }).click()
  const count = page.getByTestId('tree-count')
  await expect(count).toContainText(/^[\d,]+ of [\d,]+ entries shown$/)
  const shown = Number((await count.textContent())?.split(' of ')[0]?.replace(/,/g, ''))
  expect(shown).toBeGreaterThanOrEqual(MANY_FILES_COUNT)

  await explorer.scrollIntoViewIfNeeded()
  const run = await tree.evaluate(async (scroller) => {
    const nextFrame = () => new Promise<number>((resolveFrame) => requestAnimationFrame(resolveFrame))
    const deltas: number[] = []
    let maxRows = 0
    const step = Math.ceil((scroller.scrollHeight - scroller.clientHeight) / 300)
    let last = await nextFrame()
    for (let frame = 0; frame < 300; frame++) {
      scroller.scrollTop += step
      const now = await nextFrame()
      deltas.push(now - last)
      last = now
      maxRows = Math.max(maxRows, scroller.querySelectorAll('[role="treeitem"]').length)
    }
    return { deltas, maxRows, atEnd: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2 }
  })

  const sorted = [...run.deltas].sort((a, b) => a - b)
  const percentile = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!.toFixed(1)
  console.log(
    `large tree: ${shown.toLocaleString('en')} rows, ${run.deltas.length} scroll frames; frame ms p50 ${percentile(0.5)}, p95 ${percentile(0.95)}, max ${sorted.at(-1)!.toFixed(1)}; at most ${run.maxRows} rows in the DOM`
  )
  expect(run.atEnd).toBe(true)
  expect(run.maxRows).toBeLessThan(120)
})
