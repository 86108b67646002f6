/// Small values keyed by the tokenizer's word hash (FNV-1a, already well mixed): open addressing in two flat arrays,
/// so a lookup costs one multiply and a probe or two instead of the SipHash of a `Dictionary` or `Set`.
struct WordHashTable<Value: Sendable>: Sendable {
    private let keys: [UInt64]
    private let values: [Value]
    private let mask: Int

    /// A table of `entries`; hash 0 (the tokenizer's "no hash") is never stored.
    init(_ entries: [UInt64: Value], filler: Value) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity *= 2 }
        var keys = [UInt64](repeating: 0, count: capacity)
        var values = [Value](repeating: filler, count: capacity)
        let mask = capacity - 1
        for (key, value) in entries where key != 0 {
            var slot = Self.slot(key, mask)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.mask = mask
    }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The value stored for `key`, or nil.
    @inline(__always) subscript(_ key: UInt64) -> Value? {
        guard key != 0 else { return nil }
        var slot = Self.slot(key, mask)
        while true {
            let stored = keys[slot]
            if stored == key { return values[slot] }
            if stored == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}
