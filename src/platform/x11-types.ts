/**
 * The parts of the untyped `x11` package (4.x) the X worker services use (x-worker-main.ts,
 * vblank-worker.ts, input-doorbell-worker.ts), and the context a service runs with. Types only.
 */

export interface X11Module {
  createClient(options: { display: string }, onConnect: (err: Error | null, display: X11Display) => void): X11Connection
}
export interface X11Connection {
  on(event: 'error', listener: (err: Error) => void): unknown
}
export interface X11Display {
  client: X11Client
  screen: { root: number }[]
}
export interface X11Client {
  AllocID(): number
  require(extension: 'present', onLoad: (err: Error | null, present: PresentExtension | undefined) => void): void
  require(extension: 'xinput', onLoad: (err: Error | null, xi: XInputExtension | undefined) => void): void
  on(event: 'event', listener: (ev: X11Event) => void): unknown
  on(event: 'error', listener: (err: Error) => void): unknown
  GetInputFocus(cb: (err: Error | null) => void): void
  terminate(): void
}
export interface X11Event {
  name: string
  kind?: number
  msc: number
  ust: number
}
export interface PresentExtension {
  EventMask: { CompleteNotify: number }
  CompleteKind: { NotifyMSC: number }
  SelectInput(eventId: number, window: number, mask: number): void
  NotifyMSC(window: number, serial: number, targetMsc: number, divisor: number, remainder: number): void
}
export interface XInputExtension {
  xi2: unknown
  AllDevices: number
  XISelectEvents(window: number, masks: { deviceId: number; mask: string[] }): void
}

/** What a service gets from the worker (x-worker-main.ts); one per started service. */
export interface XServiceContext {
  readonly display: string
  /** The service's parameter (vblank: the window followed, 0 the root). */
  readonly window: number
  /** The service's shared memory. */
  readonly sab: SharedArrayBuffer
  /** True once the service is being stopped: ignore events, report nothing. */
  readonly stopping: boolean
  /** Reports that the service could not start or broke (once; ignored while stopping). */
  fail(reason: string): void
  /** Reports that the service runs. */
  ready(): void
}

/** Runs a service on a connected client (`root`: the screen's root window). */
export type XServiceRunner = (ctx: XServiceContext, client: X11Client, root: number) => void
