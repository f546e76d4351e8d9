/**
 * The best `limit` papers of a stream, by score then paper id: a binary heap of paper positions with
 * the weakest at the root. Scores and ids are read from arrays indexed by position that the caller
 * owns (and writes before offering a paper), so the heap moves one integer per step, and all of it
 * is allocated once per index and reused by every subscriber: the many papers that pass the
 * relevance threshold but not the cut cost one comparison and no allocation.
 */
export class BestCandidates {
  private count = 0;
  private limit = 0;
  private readonly heap: Int32Array;

  /** `scores` and `ids` are indexed by paper position and must not change while a selection runs. */
  constructor(
    private readonly scores: Float64Array,
    private readonly ids: Float64Array,
  ) {
    this.heap = new Int32Array(scores.length);
  }

  /** Starts a new selection of at most `limit` papers. */
  reset(limit: number): void {
    this.count = 0;
    this.limit = Math.max(0, Math.min(limit, this.heap.length));
  }

  /** Offers the paper at `position` (its score already written); keeps it if it is among the best so far. */
  offer(position: number): void {
    if (this.count < this.limit) {
      this.heap[this.count] = position;
      this.siftUp(this.count++);
    } else if (this.limit > 0 && this.before(position, this.heap[0]!)) {
      this.heap[0] = position;
      this.siftDown(0);
    }
  }

  /** Whether the paper at `position` would be kept if offered now. */
  admits(position: number): boolean {
    return this.count < this.limit || (this.limit > 0 && this.before(position, this.heap[0]!));
  }

  /** The kept positions, best first; empties the selection. */
  take(): number[] {
    const kept = new Array<number>(this.count);
    while (this.count > 0) {
      kept[this.count - 1] = this.heap[0]!;
      this.heap[0] = this.heap[--this.count]!;
      this.siftDown(0);
    }
    return kept;
  }

  /** Whether the paper at position `a` ranks before the one at `b`. */
  private before(a: number, b: number): boolean {
    return ranksBefore(this.scores[a]!, this.ids[a]!, this.scores[b]!, this.ids[b]!);
  }

  private siftUp(slot: number): void {
    const heap = this.heap;
    const position = heap[slot]!;
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (!this.before(heap[parent]!, position)) break;
      heap[slot] = heap[parent]!;
      slot = parent;
    }
    heap[slot] = position;
  }

  private siftDown(slot: number): void {
    const heap = this.heap;
    const position = heap[slot]!;
    for (;;) {
      const left = 2 * slot + 1;
      if (left >= this.count) break;
      const right = left + 1;
      const weaker = right < this.count && this.before(heap[left]!, heap[right]!) ? right : left;
      if (!this.before(position, heap[weaker]!)) break;
      heap[slot] = heap[weaker]!;
      slot = weaker;
    }
    heap[slot] = position;
  }
}

/** Score descending, then paper id ascending: the same inputs always give the same digest. */
export function ranksBefore(score: number, id: number, otherScore: number, otherId: number): boolean {
  return score > otherScore || (score === otherScore && id < otherId);
}
