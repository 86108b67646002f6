import Foundation

/// Near-duplicate detection for syndicated copies of one story: MinHash over word 3-shingles of normalised text.
///
/// Text is split into `WordRuns` (lowercased runs of letters and digits; punctuation, markup remnants and spacing drop out);
/// each run of 3 consecutive words is a shingle, hashed to 64 bits (FNV-1a). The signature keeps, for each of 64
/// hash functions `h(x) = a·x + b` (odd `a`, wrapping 64-bit arithmetic, then an xor-shift), the minimum over the
/// shingles; the share of equal positions in two signatures estimates the Jaccard similarity of their shingle sets.
/// Two documents are copies when that estimate reaches `threshold`. For lookup the 64 values form 16 bands of 4; a
/// document is compared only with documents sharing a band, knowable within `window` of it (a pair with Jaccard 0.6
/// shares a band with probability 1 − (1 − 0.6⁴)¹⁶ ≈ 0.89; at 0.8, 0.9998). Texts of fewer than `minimumShingles`
/// shingles (a bare headline) are never merged: too short to tell a copy from a similar headline.
enum StorySignature {
    static let size = 64
    static let bandCount = 16
    static let shingleWords = 3
    static let minimumShingles = 8
    static let threshold = 0.6
    static let window: TimeInterval = 3 * 86_400
    /// Documents a band lists within one window's width; a band that full lists no more (see `Store.markIfSyndicatedCopy`).
    static let bandCapacity = 8
    /// Documents compared with a new one: those sharing the most bands with it.
    static let comparedCandidates = 8

    /// The 64 multipliers and offsets, fixed so signatures stored by one version compare with the next.
    static let permutations: [(a: UInt64, b: UInt64)] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            // SplitMix64.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<size).map { _ in (next() | 1, next()) }
    }()

    /// The FNV-1a 64 hashes of the text's word shingles (`WordRuns`).
    static func shingles(_ text: String) -> Set<UInt64> {
        let words = WordRuns.bytes(text)
        guard words.count >= shingleWords else { return [] }
        var result: Set<UInt64> = []
        result.reserveCapacity(words.count)
        for start in 0...(words.count - shingleWords) {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for word in words[start..<(start + shingleWords)] {
                for byte in word { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                hash = (hash ^ 0x20) &* 0x0000_0100_0000_01B3
            }
            result.insert(hash)
        }
        return result
    }

    /// The MinHash signature of a text, or nil when it has fewer than `minimumShingles` shingles.
    static func signature(_ text: String) -> [UInt64]? {
        let shingles = shingles(text)
        guard shingles.count >= minimumShingles else { return nil }
        var signature = [UInt64](repeating: .max, count: size)
        for shingle in shingles {
            for (index, permutation) in permutations.enumerated() {
                var value = permutation.a &* shingle &+ permutation.b
                value ^= value >> 29
                if value < signature[index] { signature[index] = value }
            }
        }
        return signature
    }

    /// The estimated Jaccard similarity of two signatures: the share of equal positions.
    static func similarity(_ a: [UInt64], _ b: [UInt64]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var equal = 0
        for position in a.indices where a[position] == b[position] { equal += 1 }
        return Double(equal) / Double(a.count)
    }

    /// One key per band of `size / bandCount` values (FNV-1a over the band, with the band's index), as SQLite integers.
    static func bands(_ signature: [UInt64]) -> [Int64] {
        let rows = size / bandCount
        return (0..<bandCount).map { band in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(band)
            for value in signature[(band * rows)..<((band + 1) * rows)] {
                hash = (hash ^ value) &* 0x0000_0100_0000_01B3
            }
            return Int64(bitPattern: hash)
        }
    }

    static func encode(_ signature: [UInt64]) -> Data {
        var data = Data(capacity: signature.count * 8)
        for value in signature { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) -> [UInt64] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count - 7, by: 8).map { start in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << (8 * UInt64($1)) }
        }
    }
}

/// Lowercased runs of letters and digits: the words two copies of a text share, whatever their punctuation, markup
/// remnants and spacing.
public enum WordRuns {
    /// The runs as UTF-8 bytes. ASCII text (most feed text) is split straight off its bytes, where a letter or digit is
    /// `[A-Za-z0-9]` and lowercasing is one addition; other text goes through `Character`'s Unicode properties.
    public static func bytes(_ text: String) -> [[UInt8]] {
        ascii(text) ?? unicode(text)
    }

    /// The runs joined by single spaces.
    public static func normalised(_ text: String) -> String {
        var joined: [UInt8] = []
        for run in bytes(text) {
            if !joined.isEmpty { joined.append(0x20) }
            joined.append(contentsOf: run)
        }
        return String(decoding: joined, as: UTF8.self)
    }

    /// The general path, for any text.
    static func unicode(_ text: String) -> [[UInt8]] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map { Array($0.utf8) }
    }

    /// The byte path, or nil when the text is not all ASCII.
    static func ascii(_ text: String) -> [[UInt8]]? {
        var text = text
        return text.withUTF8 { bytes -> [[UInt8]]? in
            var runs: [[UInt8]] = []
            var run: [UInt8] = []
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): run.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): run.append(byte + 32)
                case 0x80...: return nil
                default:
                    if !run.isEmpty {
                        runs.append(run)
                        run.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !run.isEmpty { runs.append(run) }
            return runs
        }
    }
}
