/**
 * Values shared by every batcher of one draw queue (programs, pipelines, a unit quad), under a
 * string key: made on first use, and handed to their `destroy` when the queue is destroyed. The
 * queue owns them; a batcher must not destroy one itself.
 */
export class SharedValues {
  private readonly values = new Map<string, { value: unknown; destroy: ((v: unknown) => void) | undefined }>()

  /** The value under `key`, made by `create` on first use; `destroy` runs at `destroyAll`. */
  get<T>(key: string, create: () => T, destroy?: (v: T) => void): T {
    let e = this.values.get(key)
    if (e === undefined) {
      e = { value: create(), destroy: destroy as ((v: unknown) => void) | undefined }
      this.values.set(key, e)
    }
    return e.value as T
  }

  /** Destroys every value and forgets it. */
  destroyAll(): void {
    for (const e of this.values.values()) e.destroy?.(e.value)
    this.values.clear()
  }
}
