import Foundation
import Storage

/// When each source is due: its stored next-fetch time (interval after a success, exponential backoff after
/// failures, `Retry-After` when the server asked) plus a small per-source jitter, so sources added together do not
/// all fetch in the same second forever.
public enum IngestSchedule {
    /// A source's jitter is spread over this fraction of its interval…
    public static let jitterFraction = 0.1
    /// …but never more than this many seconds.
    public static let maxJitter: TimeInterval = 300

    /// A feed may ask to be fetched less often than configured, but not more often, and not less than daily.
    public static let maxDeclaredInterval: TimeInterval = 86_400

    /// Seconds until a source is fetched again after a success: its configured interval, lengthened to what the
    /// server or feed declares (`Cache-Control: max-age`, RSS `<ttl>` in minutes) up to `maxDeclaredInterval`.
    public static func interval(configured: TimeInterval, maxAge: TimeInterval?, ttlMinutes: Int?) -> TimeInterval {
        let declared = max(maxAge ?? 0, Double(ttlMinutes ?? 0) * 60)
        return max(configured, min(declared, maxDeclaredInterval))
    }

    /// Jitter in [0, min(interval × jitterFraction, maxJitter)) seconds, fixed per source id (it survives restarts).
    public static func jitter(sourceID: Int64, interval: TimeInterval) -> TimeInterval {
        // SplitMix64 finaliser: a well-spread hash of the id.
        var z = UInt64(bitPattern: sourceID) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let unit = Double(z >> 11) / Double(1 << 53)
        return unit * min(max(interval, 0) * jitterFraction, maxJitter)
    }

    /// When `source` is next due; nil when it is disabled (HTTP 410) and never fetched again. A source never fetched is due at once.
    public static func dueTime(of source: StoredSource) -> Date? {
        if source.disabled { return nil }
        guard let next = source.nextFetch else { return .distantPast }
        return next.addingTimeInterval(jitter(sourceID: source.id, interval: source.intervalSeconds))
    }

    /// The sources due at `now`, in their stored order.
    public static func due(_ sources: [StoredSource], at now: Date) -> [StoredSource] {
        sources.filter { source in dueTime(of: source).map { $0 <= now } ?? false }
    }

    /// When the scheduler should wake after a round that ended at `now`: when the first source falls due, but at
    /// most `every` seconds later (the snapshot cadence) and at least `minimumGap` seconds later.
    public static func nextWake(_ sources: [StoredSource], after now: Date, every: TimeInterval, minimumGap: TimeInterval = 1) -> Date {
        let earliest = sources.compactMap(dueTime(of:)).min() ?? .distantFuture
        let latest = now.addingTimeInterval(every)
        return max(min(earliest, latest), now.addingTimeInterval(minimumGap))
    }
}
