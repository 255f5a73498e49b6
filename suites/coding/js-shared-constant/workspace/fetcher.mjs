export function shouldRetryFetch(attempt) {
  return attempt < 3;
}
