/** The queue's Redis cannot be reached (or the URL is wrong): one readable line, not a stack. */
export class QueueUnavailable extends Error {
  override name = "QueueUnavailable";
}
