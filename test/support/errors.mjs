/** The `code` of the error `fn` throws, or 'no error'. */
export function errorCode(fn) {
  try {
    fn()
  } catch (e) {
    return e.code
  }
  return 'no error'
}
