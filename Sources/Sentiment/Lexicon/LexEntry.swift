/// Role flags a lexicon entry can carry.
struct LexFlags: OptionSet, Sendable {
    let rawValue: UInt32
    static let negator = LexFlags(rawValue: 1 << 0)
    static let contrastCoordinator = LexFlags(rawValue: 1 << 1)
    static let contrastSubordinator = LexFlags(rawValue: 1 << 2)
    static let crypto = LexFlags(rawValue: 1 << 3)
    static let attributionCue = LexFlags(rawValue: 1 << 4)
    static let phraseStart = LexFlags(rawValue: 1 << 5)
    static let weakDirection = LexFlags(rawValue: 1 << 6)
    static let shareCue = LexFlags(rawValue: 1 << 7)
    static let population = LexFlags(rawValue: 1 << 8)
    static let than = LexFlags(rawValue: 1 << 9)
    static let expectation = LexFlags(rawValue: 1 << 10)
    static let beVerb = LexFlags(rawValue: 1 << 11)
    static let directionLicensor = LexFlags(rawValue: 1 << 12)
    static let clauseOpener = LexFlags(rawValue: 1 << 13)
    static let levelPreposition = LexFlags(rawValue: 1 << 14)
    static let comparator = LexFlags(rawValue: 1 << 15)
    static let baselinePreposition = LexFlags(rawValue: 1 << 16)
    static let transitionOnly = LexFlags(rawValue: 1 << 17)
    static let objectDirection = LexFlags(rawValue: 1 << 18)
    static let signWord = LexFlags(rawValue: 1 << 19)
    static let shareFollower = LexFlags(rawValue: 1 << 20)
    /// Market participants on the other side (shorts, bears): their distress is good news.
    static let counterparty = LexFlags(rawValue: 1 << 21)
    /// Conjunctions and prepositions that end a direct object ("tumble as …", "rose in …").
    static let functionWord = LexFlags(rawValue: 1 << 22)
    /// Number words that start "seven in ten", "forty percent".
    static let countWord = LexFlags(rawValue: 1 << 23)
    /// Opens a clause giving background or cause ("after the sell-off"), weighted below the main clause.
    static let backgroundClause = LexFlags(rawValue: 1 << 24)
    /// Chart and indicator vocabulary ("resistance", "RSI", "Kumo twist"): technical commentary, R's evidence.
    static let technical = LexFlags(rawValue: 1 << 25)
    /// An asset other than Bitcoin ("Ethereum", "gold", "stocks"), for comparisons against Bitcoin.
    static let otherAsset = LexFlags(rawValue: 1 << 26)
    /// Bitcoin itself ("bitcoin", "BTC").
    static let bitcoin = LexFlags(rawValue: 1 << 27)
    /// Looks ahead ("will", "expects", "target"): a move stated with it is a forecast, not price action.
    static let forwardLooking = LexFlags(rawValue: 1 << 28)
    /// A crypto-market event word ("hack", "listing", "funding round"): polar only in a sentence about crypto.
    static let cryptoEvent = LexFlags(rawValue: 1 << 29)
    /// Opens an explainer or question headline ("How…", "Why…", "What…").
    static let explainer = LexFlags(rawValue: 1 << 30)
}

/// What the lexicon knows about one word or phrase.
struct LexEntry: Sendable {
    /// Standalone polarity, about −1…+1.
    var valence: Float = 0
    /// Polarity of a quantity when it goes up (profit +1, loss −1); 0 when not a quantity.
    var quantity: Float = 0
    /// Direction of change: +1 up, −1 down, 0 none.
    var direction: Int8 = 0
    /// Multiplier applied to the next polar word (intensifier > 1, dampener < 1).
    var multiplier: Float = 1
    /// Multiplier applied to the whole clause when present (hedges < 1).
    var hedge: Float = 1
    var flags: LexFlags = []
    /// Speaker class index + 1 (0: none), see ``SpeakerType``.
    var speaker: UInt8 = 0
    /// Number of tokens the entry spans (1 for words, 2–3 for phrases).
    var span: UInt8 = 1
}

/// Open-addressing hash table from lower-cased FNV-1a hashes to lexicon entries.
/// Storage is allocated once for the process lifetime and never written after the build
/// completes, so sharing it across threads is safe.
struct LexTable: @unchecked Sendable {
    private let keys: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<LexEntry>
    private let mask: Int

    init(capacityPowerOfTwo: Int) {
        keys = .allocate(capacity: capacityPowerOfTwo)
        keys.initialize(repeating: 0, count: capacityPowerOfTwo)
        values = .allocate(capacity: capacityPowerOfTwo)
        values.initialize(repeating: LexEntry(), count: capacityPowerOfTwo)
        mask = capacityPowerOfTwo - 1
    }

    @inline(__always) private func slot(_ h: UInt64) -> Int {
        Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Index of the entry for `h`, or −1.
    @inline(__always) func find(_ h: UInt64) -> Int {
        if h == 0 { return -1 }
        var i = slot(h)
        while true {
            let k = keys[i]
            if k == h { return i }
            if k == 0 { return -1 }
            i = (i + 1) & mask
        }
    }

    @inline(__always) func entry(at i: Int) -> LexEntry { values[i] }

    /// Applies `change` to the entry for `h`, creating it when absent.
    func update(_ h: UInt64, _ change: (inout LexEntry) -> Void) {
        var i = slot(h)
        while keys[i] != 0 && keys[i] != h { i = (i + 1) & mask }
        keys[i] = h
        change(&values[i])
    }
}
