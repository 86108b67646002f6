/// Work done concurrently and handed on in input order: the shape of `parse` over many files and `score-text` over a
/// stream of line batches.
///
/// Items are pulled one at a time from `next`, at most `jobs` run at once, and results are delivered in the order their
/// items were pulled. Memory stays bounded: at most `lookahead` items (4 × jobs unless given) are pulled and not yet
/// delivered, and none is pulled while the results waiting for delivery hold `heldBytesLimit` bytes or more (those
/// already working may still go past it, by up to jobs − 1 results), so an endless input is never held whole.
public enum OrderedOutput {
    /// Runs `work` on each item from `next` (nil ends the input) with up to `jobs` at once; `deliver` sees the results in input order.
    ///
    /// A longer `lookahead` keeps the cores busy while one slow item holds up delivery (a 400 KB feed among 10 KB ones),
    /// at the cost of more results held; `heldBytesLimit`, with `size` giving a result's bytes, stops the pulling while
    /// the results waiting hold that much, however large each one is.
    ///
    /// `next` and `deliver` run on the calling task, one call at a time; an error from either stops the run (work in
    /// flight is cancelled) and is rethrown.
    public static func run<Item: Sendable, Output: Sendable>(
        jobs: Int,
        lookahead: Int? = nil,
        heldBytesLimit: Int = .max,
        size: (Output) -> Int = { _ in 0 },
        next: () throws -> Item?,
        work: @escaping @Sendable (Item) -> Output,
        deliver: (Output) throws -> Void
    ) async throws {
        let jobs = max(1, jobs)
        let lookahead = max(jobs, lookahead ?? 4 * jobs)
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var pulled = 0
            var finished = 0
            var delivered = 0
            var exhausted = false
            var waiting: [Int: Output] = [:]
            var held = 0
            while true {
                // Results wait only behind an undelivered item that is still working, so holding back never stops the run;
                // with nothing undelivered, an item is pulled whatever the limit.
                while !exhausted && pulled - finished < jobs && pulled - delivered < lookahead && (held < heldBytesLimit || pulled == delivered) {
                    guard let item = try next() else {
                        exhausted = true
                        break
                    }
                    let index = pulled
                    group.addTask { (index, work(item)) }
                    pulled += 1
                }
                guard delivered < pulled, let (index, output) = try await group.next() else { break }
                finished += 1
                waiting[index] = output
                held += size(output)
                while let ready = waiting.removeValue(forKey: delivered) {
                    held -= size(ready)
                    try deliver(ready)
                    delivered += 1
                }
            }
        }
    }
}
