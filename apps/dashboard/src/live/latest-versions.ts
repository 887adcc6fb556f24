/**
 * The highest version seen per indicator cell key. The indicator topic is delivered at least once
 * and a cell's version only grows, so an event whose version is not above the last one seen for
 * its key is a repeat or arrived late and is dropped.
 *
 * Bounded: past `capacity` keys the least recently changed ones are forgotten (a live view only
 * cares about cells that keep changing; a forgotten key accepts its next event, whatever it is).
 */
export class LatestVersions {
  private readonly versions = new Map<string, number>();

  constructor(private readonly capacity = 500_000) {}

  /** True (and remembered) when `version` is newer than anything seen for `key`. */
  accept(key: string, version: number): boolean {
    const seen = this.versions.get(key);
    if (seen !== undefined && version <= seen) return false;
    // Re-inserting moves the key to the end of the Map's order: the oldest change is first.
    this.versions.delete(key);
    this.versions.set(key, version);
    if (this.versions.size > this.capacity) {
      const oldest = this.versions.keys().next();
      if (!oldest.done) this.versions.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.versions.size;
  }
}
