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
    /// Documents a band lists within one window's width; a band that full lists no more (see `StoryBandIndex`).
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
    static func shingles(_ text: String) -> Set<UInt64> { Set(shingleHashes(text)) }

    /// The same hashes, ascending and distinct: hashed straight off the words laid end to end, with no array per word
    /// or set per text (this runs for every relevant document ingested).
    static func shingleHashes(_ text: String) -> [UInt64] {
        let words = WordRuns.flat(text)
        let count = words.ends.count
        guard count >= shingleWords else { return [] }
        var hashes: [UInt64] = []
        hashes.reserveCapacity(count - shingleWords + 1)
        words.bytes.withUnsafeBufferPointer { bytes in
            words.ends.withUnsafeBufferPointer { ends in
                for start in 0...(count - shingleWords) {
                    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
                    for word in start..<(start + shingleWords) {
                        for position in (word == 0 ? 0 : ends[word - 1])..<ends[word] { hash = (hash ^ UInt64(bytes[position])) &* 0x0000_0100_0000_01B3 }
                        hash = (hash ^ 0x20) &* 0x0000_0100_0000_01B3
                    }
                    hashes.append(hash)
                }
            }
        }
        hashes.sort()
        var distinct = 0
        for hash in hashes where distinct == 0 || hashes[distinct - 1] != hash {
            hashes[distinct] = hash
            distinct += 1
        }
        hashes.removeLast(hashes.count - distinct)
        return hashes
    }

    /// The MinHash signature of a text, or nil when it has fewer than `minimumShingles` shingles.
    static func signature(_ text: String) -> [UInt64]? {
        let shingles = shingleHashes(text)
        guard shingles.count >= minimumShingles else { return nil }
        var signature = [UInt64](repeating: .max, count: size)
        permutations.withUnsafeBufferPointer { permutations in
            signature.withUnsafeMutableBufferPointer { signature in
                for shingle in shingles {
                    for index in 0..<size {
                        var value = permutations[index].a &* shingle &+ permutations[index].b
                        value ^= value >> 29
                        if value < signature[index] { signature[index] = value }
                    }
                }
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
    /// The runs laid end to end in one buffer, and where each run ends in it.
    struct Flat {
        var bytes: [UInt8] = []
        var ends: [Int] = []

        /// Each run as an array of its own.
        var runs: [[UInt8]] { ends.indices.map { Array(bytes[($0 == 0 ? 0 : ends[$0 - 1])..<ends[$0]]) } }
    }

    /// The runs as UTF-8 bytes. ASCII text (most feed text) is split straight off its bytes, where a letter or digit is
    /// `[A-Za-z0-9]` and lowercasing is one addition; other text goes through `Character`'s Unicode properties.
    public static func bytes(_ text: String) -> [[UInt8]] {
        flat(text).runs
    }

    /// The runs joined by single spaces.
    public static func normalised(_ text: String) -> String {
        let words = flat(text)
        var joined: [UInt8] = []
        joined.reserveCapacity(words.bytes.count + words.ends.count)
        for (index, end) in words.ends.enumerated() {
            if index > 0 { joined.append(0x20) }
            joined.append(contentsOf: words.bytes[(index == 0 ? 0 : words.ends[index - 1])..<end])
        }
        return String(decoding: joined, as: UTF8.self)
    }

    /// The runs laid end to end: the byte path for ASCII text, else the general one.
    static func flat(_ text: String) -> Flat {
        if let ascii = asciiFlat(text) { return ascii }
        var words = Flat()
        for run in unicode(text) {
            words.bytes += run
            words.ends.append(words.bytes.count)
        }
        return words
    }

    /// The general path, for any text.
    static func unicode(_ text: String) -> [[UInt8]] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map { Array($0.utf8) }
    }

    /// The byte path, or nil when the text is not all ASCII.
    static func ascii(_ text: String) -> [[UInt8]]? { asciiFlat(text)?.runs }

    /// The byte path laid end to end, or nil when the text is not all ASCII.
    static func asciiFlat(_ text: String) -> Flat? {
        var text = text
        return text.withUTF8 { bytes -> Flat? in
            var words = Flat()
            words.bytes.reserveCapacity(bytes.count)
            var inRun = false
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    words.bytes.append(byte)
                    inRun = true
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    words.bytes.append(byte + 32)
                    inRun = true
                case 0x80...: return nil
                default:
                    if inRun { words.ends.append(words.bytes.count) }
                    inRun = false
                }
            }
            if inRun { words.ends.append(words.bytes.count) }
            return words
        }
    }
}
