/// Hand-written news texts for the near-duplicate rule (all fictional): syndicated copies that must merge, and distinct
/// stories with shared wording (templated market wraps, one survey told twice with other numbers) that must not.
enum SyndicationFixtures {
    /// Pairs of the same story as two publishers carry it: a wire dateline or a site's boilerplate added, a headline
    /// reworded, a word or two changed, a closing line appended.
    static let copies: [(String, String)] = [
        ("Bitcoin slid below $65,000 on Friday as miners sold reserves to cover costs. The average cost to mine one coin is estimated near $87,000, leaving many operators under water, and analysts warned that another leg lower could force weaker miners into bankruptcy.",
         "LONDON (Markets Wire) - Bitcoin slid below $65,000 on Friday as miners sold reserves to cover costs. The average cost to mine one coin is estimated near $87,000, leaving many operators under water, and analysts warned that another leg lower could force weaker miners into bankruptcy. Reporting by Tomas Ekberg."),
        ("About 70% of institutional investors surveyed believe Bitcoin is undervalued at current prices, even as a quarter of them say the market has entered a bear market, according to a survey of 148 allocators published on Tuesday.",
         "Survey: About 70% of institutional investors surveyed believe bitcoin is undervalued at current prices, even as a quarter of them say the market has entered a bear market, according to a survey of 148 allocators published Tuesday."),
        ("A large asset manager said it increased its allocation to spot bitcoin ETFs in January, calling the pullback a buying opportunity for long-term investors and adding that client demand had held up through the sell-off.",
         "A large asset manager said it raised its allocation to spot bitcoin ETFs in January, calling the pullback a buying opportunity for long-term investors and adding that client demand had held up through the sell-off. Read more on our funds page."),
        ("Spot bitcoin ETFs recorded net inflows for a third straight week, led by institutional buyers, even as the price of the largest cryptocurrency fell to its lowest level since the autumn of last year.",
         "NEW YORK - Spot bitcoin ETFs recorded net inflows for a third straight week, led by institutional buyers, even as the price of the largest cryptocurrency fell to its lowest level since the autumn of last year, data showed."),
        ("Network hashrate has fallen to about 913 EH/s from a peak above 1.1 ZH/s in October as older rigs switch off, and the hash ribbon has flipped into capitulation for the first time since the last halving.",
         "Network hashrate has fallen to about 913 EH/s from a peak above 1.1 ZH/s in October as older rigs switch off, and the hash ribbon has flipped into capitulation for the first time since the last halving. (Editing by Mara Voss)"),
        ("Fund managers said they remain bullish on Bitcoin over a twelve-month horizon and plan to add to positions on weakness, according to a desk note from a global bank circulated to clients on Saturday.",
         "Fund managers said they remain bullish on bitcoin over a 12-month horizon and plan to add to positions on weakness, according to a desk note from a global bank circulated to clients on Saturday."),
        ("A pension fund in northern Europe disclosed a small position in a spot bitcoin ETF, its first direct exposure to the asset, and said the allocation would be reviewed once a year by its investment committee.",
         "Copenhagen: A pension fund in northern Europe disclosed a small position in a spot bitcoin ETF, its first direct exposure to the asset, and said the allocation would be reviewed once a year by its investment committee."),
        ("Hedge funds cut their net long bitcoin futures positions for a second week while asset managers added to theirs, the latest positioning report showed, leaving the two groups on opposite sides of the trade.",
         "Hedge funds cut their net long bitcoin futures positions for a second week while asset managers added to theirs, the latest positioning report showed on Friday, leaving the two groups on opposite sides of the trade."),
    ]

    /// Pairs of different stories that share much of their wording.
    static let distinct: [(String, String)] = [
        ("Bitcoin fell 3% to $64,200 on Friday, extending its losses for the week, as traders weighed weaker equity markets and outflows from crypto funds ahead of the weekend.",
         "Bitcoin rose 2% to $66,100 on Monday, recovering part of last week's losses, as traders weighed stronger equity markets and inflows into crypto funds after the weekend."),
        ("About 70% of institutional investors surveyed believe Bitcoin is undervalued at current prices, according to a survey of 148 allocators published on Tuesday.",
         "About 45% of retail investors surveyed believe Bitcoin is overvalued at current prices, according to a poll of 2,000 savers published on Thursday."),
        ("Spot bitcoin ETFs recorded net inflows for a third straight week, led by institutional buyers, even as the price fell.",
         "Spot ether ETFs recorded net outflows for a second straight week, led by retail sellers, even as the price rose."),
        ("Miners sold more of their bitcoin reserves as revenue per terahash fell to a record low and losses widened across the sector.",
         "Miners added to their bitcoin reserves as revenue per terahash rose from a record low and margins improved across the sector."),
        ("Hedge funds cut their net long bitcoin futures positions for a second week, the latest positioning report showed.",
         "Asset managers raised their net long bitcoin futures positions for a third week, the latest positioning report showed."),
        ("The average cost to mine one coin is estimated near $87,000, leaving many miners under water with bitcoin below $65,000.",
         "The average cost to mine one coin is estimated near $52,000, leaving most miners profitable with bitcoin above $90,000."),
        ("A large asset manager said it increased its allocation to spot bitcoin ETFs in January, calling the pullback a buying opportunity.",
         "A large pension fund said it reduced its allocation to spot bitcoin ETFs in March, calling the rally a selling opportunity."),
        ("Bitcoin traded near $64,500 in Asian hours on Tuesday after a volatile session in New York, with liquidations of leveraged long positions topping $400 million.",
         "Bitcoin traded near $71,800 in European hours on Wednesday after a quiet session in Asia, with liquidations of leveraged short positions topping $150 million."),
        ("The hash ribbon flipped into capitulation this week as the 30-day average of hashrate fell below the 60-day average for the first time since the halving.",
         "The hash ribbon flipped back to recovery this week as the 30-day average of hashrate rose above the 60-day average for the first time since the summer."),
        ("Fund managers said they remain bullish on Bitcoin over a twelve-month horizon and plan to add to positions on weakness.",
         "Fund managers said they turned bearish on Bitcoin over a three-month horizon and plan to cut positions into strength."),
    ]
}
