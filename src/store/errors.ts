/** The store cannot be opened where it should live (its folder is a file, not writable, …): one readable line. */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}
