/// Who can hold an opinion: named firms and generic groups, each with its speaker type.
///
/// Built in (lower case, matched as whole words, longest name first):
/// - institutional: generic allocators (institutions, institutional investors, asset/fund/portfolio/money/wealth/
///   investment managers, hedge funds, pension funds, endowments, family offices, sovereign wealth funds, corporate
///   treasuries, financial advisers/advisors, allocators, banks); asset managers and ETF issuers (BlackRock, Fidelity,
///   Vanguard, State Street, Invesco, Franklin Templeton, VanEck, Grayscale, ARK Invest, WisdomTree, Bitwise, Galaxy
///   Digital, CoinShares, 21Shares, Valkyrie, Hashdex); banks (JPMorgan, Goldman Sachs, Morgan Stanley, Citi, Bank of
///   America, Wells Fargo, HSBC, Barclays, UBS, Deutsche Bank, Standard Chartered, Nomura, BNP Paribas, Société
///   Générale); corporate treasuries (MicroStrategy, Tesla, Metaplanet).
/// - analyst: analysts, strategists, economists, researchers; research desks (Bernstein, Glassnode, CryptoQuant,
///   Kaiko, K33 Research, 10x Research, Matrixport, Santiment, Coin Metrics, Chainalysis).
/// - miner: miners, mining companies/firms; Marathon Digital, MARA, Riot Platforms, CleanSpark, Core Scientific,
///   Hut 8, Bitfarms, Cipher Mining, IREN, Bitdeer.
/// - retail: retail, retail traders/investors, individual/small investors, AAII.
/// - media: Reuters, Bloomberg, CoinDesk, Cointelegraph, The Block, CNBC, the Financial Times, the Wall Street Journal.
/// - unknown: a survey's respondents when the population is not stated.
///
/// The config extends or overrides it with `init(extra:)` (names are matched case-insensitively).
public struct HolderGazetteer: Sendable {
    /// Names by their lower-case words joined with one space.
    private(set) var names: [String: SpeakerType]
    /// The most words in any name.
    private(set) var longest: Int
    /// First words of the names longer than one word.
    private(set) var openers: Set<String>
    /// Lower-case FNV-1a hashes of every name's first word (a cheap test before a lookup).
    private(set) var starts: WordHashTable<Bool>

    /// The built-in list, with `extra` names added (an extra name replaces a built-in one's type).
    public init(extra: [String: SpeakerType] = [:]) {
        var names = HolderGazetteer.builtIn
        for (name, type) in extra {
            let key = HolderGazetteer.words(of: name).joined(separator: " ")
            if !key.isEmpty { names[key] = type }
        }
        self.names = names
        longest = names.keys.map { $0.split(separator: " ").count }.max() ?? 1
        openers = Set(names.keys.compactMap { $0.split(separator: " ").count > 1 ? String($0.split(separator: " ")[0]) : nil })
        starts = WordHashTable(Dictionary(names.keys.map { (Tokenizer.hash(String($0.split(separator: " ")[0])), true) }, uniquingKeysWith: { a, _ in a }),
                               filler: false)
    }

    /// True when some name's first word has the lower-case hash `hash`.
    func mayStartName(_ hash: UInt64) -> Bool { starts[hash] ?? false }

    /// The speaker type of `name` (any case), or nil when the gazetteer does not know it.
    public func speakerType(of name: String) -> SpeakerType? {
        names[HolderGazetteer.words(of: name).joined(separator: " ")]
    }

    /// The longest known name starting at word `k` of `words` (lower case): its length in words and type.
    func match(_ words: [String], at k: Int) -> (length: Int, type: SpeakerType)? {
        var length = openers.contains(words[k]) ? min(longest, words.count - k) : 1
        while length >= 1 {
            let key = length == 1 ? words[k] : words[k..<(k + length)].joined(separator: " ")
            if let type = names[key] { return (length, type) }
            length -= 1
        }
        return nil
    }

    /// Lower-case words of a name, split at spaces and hyphens kept inside words.
    static func words(of name: String) -> [String] {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    static let builtIn: [String: SpeakerType] = {
        var names: [String: SpeakerType] = [:]
        func add(_ type: SpeakerType, _ list: [String]) { for n in list { names[n] = type } }
        add(.institutional, [
            "institutions", "institution", "institutional investors", "institutional investor", "institutional clients",
            "institutional allocators", "asset managers", "asset manager", "fund managers", "fund manager",
            "portfolio managers", "portfolio manager", "money managers", "wealth managers", "wealth manager",
            "investment managers", "hedge funds", "hedge fund", "pension funds", "pension fund", "endowments",
            "endowment", "family offices", "family office", "sovereign wealth funds", "sovereign wealth fund",
            "corporate treasuries", "corporate treasurers", "treasury companies", "financial advisers",
            "financial advisors", "financial adviser", "financial advisor", "advisers", "advisors", "allocators",
            "banks", "etf issuers",
            "blackrock", "fidelity", "fidelity investments", "vanguard", "state street", "invesco", "franklin templeton",
            "vaneck", "grayscale", "ark invest", "wisdomtree", "bitwise", "galaxy digital", "coinshares",
            "21shares", "valkyrie", "hashdex", "jpmorgan", "jp morgan", "jpmorgan chase", "goldman sachs", "goldman",
            "morgan stanley", "citi", "citigroup", "bank of america", "wells fargo", "hsbc", "barclays", "ubs",
            "deutsche bank", "standard chartered", "nomura", "bnp paribas", "société générale", "societe generale",
            "microstrategy", "tesla", "metaplanet",
        ])
        add(.analyst, [
            "analysts", "analyst", "strategists", "strategist", "economists", "economist", "researchers", "research firm",
            "bernstein", "glassnode", "cryptoquant", "kaiko", "k33 research", "k33", "10x research", "matrixport",
            "santiment", "coin metrics", "chainalysis",
        ])
        add(.miner, [
            "miners", "miner", "mining companies", "mining company", "mining firms", "mining firm", "bitcoin miners",
            "marathon digital", "mara", "riot platforms", "cleanspark", "core scientific", "hut 8", "bitfarms",
            "cipher mining", "iren", "bitdeer",
        ])
        add(.retail, [
            "retail", "retail traders", "retail trader", "retail investors", "retail investor", "individual investors",
            "small investors", "retail buyers", "aaii",
        ])
        add(.media, [
            "reuters", "bloomberg", "coindesk", "cointelegraph", "the block", "cnbc", "financial times",
            "wall street journal",
        ])
        add(.unknown, ["respondents", "survey respondents"])
        return names
    }()
}
