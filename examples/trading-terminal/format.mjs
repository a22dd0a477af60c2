// Numbers as character codes for `text.drawCodes`, so rows that redraw every frame build no
// strings (the per-frame path allocates nothing). A `CodeLine` is a reusable buffer of UTF-16
// codes with a length; the writers append to it.

const CH_0 = 48
const CH_DOT = 46
const CH_MINUS = 45
const CH_COLON = 58
const CH_SPACE = 32

export class CodeLine {
  constructor(capacity = 64) {
    this.codes = new Uint16Array(capacity)
    this.length = 0
  }

  clear() {
    this.length = 0
    return this
  }

  /** Appends a constant string (a literal: fine to pass each frame, it is not built). */
  text(s) {
    for (let i = 0; i < s.length && this.length < this.codes.length; i++) this.codes[this.length++] = s.charCodeAt(i)
    return this
  }

  /** Appends `value` with `decimals` decimals ('-' for a non-finite value). */
  fixed(value, decimals) {
    const codes = this.codes
    if (!Number.isFinite(value)) {
      if (this.length < codes.length) codes[this.length++] = CH_MINUS
      return this
    }
    let scale = 1
    for (let i = 0; i < decimals; i++) scale *= 10
    let n = Math.round(Math.abs(value) * scale)
    if (value < 0 && n !== 0 && this.length < codes.length) codes[this.length++] = CH_MINUS
    // digits, least significant first, into the tail, then reversed in place
    const start = this.length
    let digits = 0
    do {
      if (decimals > 0 && digits === decimals) codes[this.length++] = CH_DOT
      codes[this.length++] = CH_0 + (n % 10)
      n = Math.floor(n / 10)
      digits++
    } while ((n > 0 || digits <= decimals) && this.length < codes.length - 1)
    for (let a = start, b = this.length - 1; a < b; a++, b--) {
      const t = codes[a]
      codes[a] = codes[b]
      codes[b] = t
    }
    return this
  }

  /** Appends an integer with thin grouping ("1 234 567"). */
  grouped(value) {
    let n = Math.round(Math.abs(value))
    if (value < 0 && n !== 0) this.codes[this.length++] = CH_MINUS
    const start = this.length
    let digits = 0
    do {
      if (digits > 0 && digits % 3 === 0) this.codes[this.length++] = CH_SPACE
      this.codes[this.length++] = CH_0 + (n % 10)
      n = Math.floor(n / 10)
      digits++
    } while (n > 0 && this.length < this.codes.length - 1)
    for (let a = start, b = this.length - 1; a < b; a++, b--) {
      const t = this.codes[a]
      this.codes[a] = this.codes[b]
      this.codes[b] = t
    }
    return this
  }

  /** Appends a UTC clock time HH:MM:SS.mmm of epoch milliseconds (`millis` false: HH:MM:SS). */
  clock(ms, millis = true) {
    const day = ((ms % 86_400_000) + 86_400_000) % 86_400_000
    const h = Math.floor(day / 3_600_000)
    const m = Math.floor(day / 60_000) % 60
    const s = Math.floor(day / 1000) % 60
    this.two(h)
    this.codes[this.length++] = CH_COLON
    this.two(m)
    this.codes[this.length++] = CH_COLON
    this.two(s)
    if (millis) {
      const f = Math.floor(day % 1000)
      this.codes[this.length++] = CH_DOT
      this.codes[this.length++] = CH_0 + Math.floor(f / 100)
      this.codes[this.length++] = CH_0 + (Math.floor(f / 10) % 10)
      this.codes[this.length++] = CH_0 + (f % 10)
    }
    return this
  }

  /** `clock(times[i], millis)`: the time stays in its array (no boxed number crosses the call). */
  clockAt(times, i, millis = true) {
    return this.clock(times[i], millis)
  }

  two(v) {
    this.codes[this.length++] = CH_0 + Math.floor(v / 10)
    this.codes[this.length++] = CH_0 + (v % 10)
  }

  /** The line as a string (tests and debugging only: allocates). */
  toString() {
    return String.fromCharCode(...this.codes.subarray(0, this.length))
  }
}
