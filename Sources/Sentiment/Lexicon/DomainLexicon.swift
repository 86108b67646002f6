/// The finance and crypto lexicon: standalone polarity, quantities whose polarity depends on
/// their direction of change, direction words, modifiers, hedges, contrast and attribution words.
/// Words are written lower case; multi-word phrases join their tokens with `_`.
enum DomainLexicon {
    static let table: LexTable = build()

    /// Hash of a phrase of already-hashed tokens (order-sensitive mix).
    @inline(__always) static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a &* 0x9E37_79B9_7F4A_7C15
        x ^= b &+ 0x7F4A_7C15_9E37_79B9 &+ (x << 6) &+ (x >> 2)
        return x == 0 ? 1 : x
    }

    /// Hash of a `_`-joined lexicon key (one token or a phrase).
    static func key(_ word: Substring) -> (hash: UInt64, first: UInt64, span: Int) {
        let parts = word.split(separator: "_")
        let first = Tokenizer.hash(String(parts[0]))
        var h = first
        for p in parts.dropFirst() { h = combine(h, Tokenizer.hash(String(p))) }
        return (h, first, parts.count)
    }

    static func build() -> LexTable {
        let t = LexTable(capacityPowerOfTwo: 8192)
        func add(_ words: String, _ change: (inout LexEntry) -> Void) {
            for w in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let k = key(w)
                t.update(k.hash) { e in
                    change(&e)
                    e.span = UInt8(k.span)
                }
                if k.span > 1 { t.update(k.first) { $0.flags.insert(.phraseStart) } }
            }
        }
        func valence(_ v: Float, _ words: String) { add(words) { $0.valence = v } }
        func quantity(_ q: Float, _ words: String) { add(words) { $0.quantity = q } }
        func direction(_ d: Int8, _ words: String) { add(words) { $0.direction = d } }
        func modifier(_ m: Float, _ words: String) { add(words) { $0.multiplier = m } }
        func hedge(_ m: Float, _ words: String) { add(words) { $0.hedge = m } }
        func flag(_ f: LexFlags, _ words: String) { add(words) { $0.flags.insert(f) } }
        func speaker(_ s: SpeakerType, _ words: String) {
            let idx = UInt8(SpeakerType.allCases.firstIndex(of: s)! + 1)
            add(words) { $0.speaker = idx }
        }

        // Quantities that are good news when they go up.
        quantity(1, """
        profit profits profitability earnings ebit ebita ebitda eps income fair_value
        order orders backlog order_intake order_book margin margins dividend dividends demand result results
        stock stocks share shares equities equity valuation valuations value volume volumes deliveries
        subscribers customers users traffic passengers market_share capitalization capitalisation market_cap
        inflows inflow holdings cash_flow cashflow liquidity capacity efficiency productivity growth index
        indices bitcoin btc ether eth crypto cryptocurrency cryptocurrencies rating ratings outlook guidance
        forecast forecasts jobs staff employees workforce personnel headcount employment adoption confidence
        aum assets_under_management profitability returns return performance market markets nasdaq s&p dow
        ftse dax omx rally bookings occupancy utilization utilisation exports recovery wages payout payouts
        """)
        quantity(1, "sales revenue revenues turnover volume volumes invoicing billing billings cash interest_income")
        quantity(1, "operating_income net_income")
        quantity(1.3, "profit profits earnings ebit ebita ebitda eps operating_income net_income result results")
        add("pushed_up push_up pushes_up pushing_up drove_up drive_up drives_up driving_up sent_up") { $0.direction = 1 }
        add("pushed_down push_down pushes_down pushing_down drove_down drive_down drives_down driving_down") { $0.direction = -1 }
        quantity(1, """
        bitcoin_etf bitcoin_etfs spot_etf spot_etfs crypto_market digital_asset digital_assets btc-usd btcusd
        crypto_markets crypto_stocks mining_stocks miners_stocks
        """)
        quantity(1, "support supports")
        quantity(-1, "resistance")
        quantity(0.6, "hashprice hash_price")
        add("break breaks broke breaking") { $0.direction = -1 }
        add("bounce bounces bounced bouncing") { $0.direction = 1 }
        valence(0.6, "breaks_above broke_above breaking_above break_above")
        valence(-0.6, "breaks_below broke_below breaking_below break_below under_pressure")
        valence(0.4, "steadies steadied steady stabilizes stabilises stabilized stabilised stabilizing")
        valence(0.7, "golden_cross buy_signal above_the_cloud above_the_kumo bullish_crossover crypto_spring")
        valence(-0.7, "sell_signal below_the_cloud below_the_kumo bearish_crossover bull_trap dead_cat_bounce")
        valence(-0.4, """
        scrutiny disagree disagrees disagreed awkward refused refuses refuse dismissed powerless too_high
        doubtful questionable
        """)
        valence(-0.5, """
        suffer suffers suffered suffering damaged damage damages canceled cancelled cancels cancel
        cancellation recall recalls recalled delisted delisting delist stole stolen theft bogus tough boycott boycotting criticised criticized criticising
        criticizing criticism too_low downbeat gloomy bleak sluggish subdued muted lackluster lacklustre
        """)
        valence(0.5, "buying")
        quantity(1, "gain gains ethereum solana sol xrp altcoins altcoin tokens coin coins dominance")
        quantity(0.0001, """
        difficulty mining_difficulty
        share_capital number_of_shares shares_outstanding outstanding_shares stake stakes holding ownership
        """)
        quantity(0.6, "price prices production output hashrate hash_rate reserves premium sentiment  target")
        // Quantities that are bad news when they go up.
        quantity(-1, """
        loss losses net_loss operating_loss pretax_loss pre-tax_loss costs cost expenses expense debt debts
        liabilities liability indebtedness deficit unemployment outflows outflow layoffs redundancies writedowns write-downs
        impairments impairment provisions defaults delinquencies bankruptcies churn headwinds liquidations
        selling_pressure jobless_claims arrears shortfall deficits  damages
        """)
        quantity(-1, "correction corrections short_sellers shorts drawdown drawdowns")
        // Crime falling is good news: "the share of transactions tied to crime fell".
        quantity(-1, "crime crimes criminal_activity illicit_activity thefts hacks scams exploits")
        quantity(-0.6, "inflation volatility risk risks taxes tax pressure fears concerns uncertainty")

        // Direction of change.
        direction(1, """
        rise rises rose risen rising increase increases increased increasing grow grows grew grown growing
        growth gain gains gained gaining climb climbs climbed climbing jump jumps jumped jumping surge surges
        surged surging soar soars soared soaring rally rallies rallied rallying skyrocket skyrocketed
        skyrocketing spike spiked spikes rebound rebounds rebounded rebounding recover recovers recovered
        recovering improve improves improved improving improvement improvements strengthen strengthens
        strengthened strengthening expand expands expanded expanding expansion double doubled doubling triple
        tripled boost boosts boosted boosting raise raises raised raising lift lifts lifted lifting higher
        widen widens widened widening deepen deepens deepened deepening accelerate accelerates accelerated
        accelerating swell swelled swelling advance advanced advancing exceed exceeded exceeds upward upwards
        larger bigger greater outpaced outpacing add adds added adding mount mounts mounted mounting builds up
        """)
        direction(-1, """
        fall falls fell fallen falling decrease decreases decreased decreasing decline declines declined
        declining drop drops dropped dropping dip dips dipped dipping slip slips slipped slipping slide
        slides slid sliding sink sinks sank sunk sinking plunge plunges plunged plunging plummet plummets
        plummeted plummeting tumble tumbles tumbled tumbling slump slumps slumped slumping crash crashes
        crashed crashing tank tanks tanked tanking collapse collapses collapsed collapsing shrink shrinks shrank
        shrunk shrinking contracted contracting narrow narrows narrowed narrowing reduce reduces reduced
        reducing reduction reductions cut cuts cutting lower lowers lowered lowering weaken weakens weakened
        weakening deteriorate deteriorates deteriorated deteriorating deterioration slow slows slowed slowing
        halve halved  lose loses lost losing shed sheds shedding trim trims trimmed trimming slash
        slashes slashed slashing eliminate eliminated eliminating erase erases erased erasing smaller fewer downward
        downwards retreat retreats retreated retreating ease eased easing cooled cooling sag sagged
        down pare pares pared paring diminish diminishes diminished diminishing worsen worsened worsening fizzle fizzles fizzled stall stalls stalled falter falters faltered
        fade fades faded
        """)
        flag(.weakDirection, "up down")
        flag(.directionLicensor, "from by on of year-on-year sharply slightly")
        flag(.objectDirection, "add adds added adding")
        flag(.signWord, "negative minus")

        // Standalone polarity.
        valence(1.0, "bullish bull_market bull_run all-time_high all-time_highs record_high record_highs")
        valence(0.8, """
        undervalued optimistic optimism outperform outperforms outperformed outperforming upgrade upgraded
        upgrades booming breakthrough above_expectations above_estimates above_forecast above_forecasts
        above_consensus strong_buy overweight resilient record_profit record_revenue
        record_sales record_earnings new_high new_highs beat_expectations beat_estimates buy_rating
        """)
        valence(0.6, """
        strong stronger strongest robust rally rallies boom recovery rebound profitable success successful
        successfully win wins won awarded favorable favourable favorably favourably positive upbeat confident
        beat beats beating surpass surpassed surpasses upside breakout accumulation accumulate accumulating
        attractive healthy upturn savings satisfied winning winner succeeded great promising topped upswing  soar soared skyrocketed surged surge
        inflows inflow milestone tailwind tailwinds encouraging excellent  thrive thriving
        """)
        valence(0.4, """
        solid strength signed succeed ideal tops dominated benefit benefits benefited benefiting opportunity opportunities record gains gain
        adoption bottomed oversold recovering support supportive efficient boosted expand expanding
        expansion grow growth secure secured secures contract_win 
        good better best confidence  hodl accumulated cheap bargain  partnership green
        """)
        valence(-0.4, """
        concern concerns worry worries uncertainty uncertain volatile risk risky risks pressure pressured
        probe investigation delay delays delayed challenging challenge challenges restructuring dispute
        disputes strike strikes rejected rejection dilution oversupply overbought stagnant stagnation
        cautious caution   withdrawals headwind weigh weighs weighed weighing  red
        lower_than_expected doubts doubt skeptical sceptical bad
        """)
        valence(-0.6, """
        weak weaker weakest weakness poor poorly negative loss losses unprofitable lost fear fears feared
        struggle struggles struggled struggling difficult difficulties downturn slowdown drawdown bleed
        bleeding dump dumped dumping breakdown sell-off selloff sell-offs selloffs liquidation liquidations
        liquidated halt halted suspend suspended suspension closure closures shut lawsuit lawsuits sued
        penalty penalties fined ban banned warn warns warned warning warnings miss missed misses short_of
        below_expectations below_estimates below_forecast below_forecasts below_consensus crash slump
        plunge plummet tumble tumbled collapse  underwater under_water layoff cutbacks
        impairment writedown write-down underweight sell_rating headwinds outflows outflow shortfall
        deficit problems problem trouble troubled turmoil  unrest tension tensions shutdown
        """)
        valence(-0.8, """
        bearish bear_market bear_markets crypto_winter overvalued capitulation capitulate capitulated
        capitulating recession crisis disappointing disappointed disappoint disappoints downgrade
        downgraded downgrades underperform underperforms underperformed underperforming layoffs laid_off
        lay_off lays_off redundancies job_cuts job_losses panic distress distressed contagion hack hacked
        exploit exploited profit_warning death_cross plunged plummeted crashed collapsed pessimistic
        pessimism slumped tanked worst losing_money loss-making
        """)
        valence(-0.6, "net_loss operating_loss pretax_loss pre-tax_loss")
        valence(0.6, """
        pleased proud happy excited delighted wonderful superior improve improves improved improving
        improvement improvements strengthen strengthens strengthened strengthening well_received
        """)
        valence(0.4, """
        honored honoured welcome admired enhance enhances enhanced enhancing enhancement competitiveness
        cost-effective cost-efficient productive loyal efficient efficiency efficiencies cooperation
        cooperate collaboration expands expanded recognized recognised award awards awarded interested
        high-quality appreciated grew growing
        """)
        valence(0.3, "leading leader safe largest rate_cut rate_cuts")
        valence(0.2, "buyers")
        valence(0.4, "bulls")
        valence(0.4, "uptrend")
        valence(0.6, """
        reclaim reclaims reclaimed reclaiming break_out breaks_out broke_out breaking_out pile_into piles_into
        piled_into piling_into pour_into poured_into pours_into flock_to flocked_to snap_up snapped_up
        short_squeeze
        """)
        valence(-0.2, "sellers selling")
        valence(0.2, "record")
        valence(0.4, "highest")
        valence(-0.4, "lowest")
        // Positioning: net long is a bet on a rise, net short on a fall.
        valence(0.6, "net_long")
        valence(-0.6, "net_short")
        // Relative weakness: "Bitcoin lagged", "lags the Nasdaq".
        valence(-0.4, "lag lags lagged lagging laggard")
        valence(-0.5, """
        downtrend squeeze squeezed squeezing squeezes lows bears fails dries_up dried_up drying_up dry_up
        """)
        valence(-0.6, "sell_off sells_off sold_off selling_off")
        valence(-0.8, "all-time_low all-time_lows record_low record_lows multi-year_low new_low new_lows")
        flag(.counterparty, "shorts short_sellers bears short_positions short_sellers")
        valence(-0.3, "rate_hike rate_hikes")
        valence(-0.5, """
        deteriorate deteriorates deteriorated deteriorating deterioration weaken weakens weakened weakening
        worsen worsened worsening
        """)
        valence(0, "in_order")
        add("swung swing swings turned turn turns returned moved") { $0.direction = 1; $0.flags.insert(.transitionOnly) }
        valence(-1.0, "bankruptcy bankrupt insolvency insolvent fraud scam default defaulted defaults going_concern")
        valence(0, """
        down_payment before_taxes before_tax after_taxes after_tax per_share share_capital
        number_of_shares shares_outstanding outstanding_shares record_date growth_markets capital_gain
        """)
        valence(-0.7, "shut_down wind_down fell_short falls_short")
        valence(-0.2, "sell")
        valence(0.4, "buys bought")
        valence(0.2, "buy promise recruited hiring above approved approval")
        valence(-0.3, "below stopped disappeared terminate terminated")
        valence(-0.6, """
        sue sues suing charged fined threat threats cartel burdened burden violated infringed infringe leakage leak toxic
        personnel_negotiations cooperation_negotiations co-operation_negotiations change_negotiations
        closed_down close_down close_its closing_its closed_its will_close would_close to_close
        """)
        valence(-0.8, "lay-offs lay-off layoff redundant")

        // Negation, modifiers, hedges, contrast.
        flag(.negator, """
        not no never n't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't cannot
        couldn't shouldn't hasn't haven't hadn't without neither nor none nothing nobody lack lacks lacking
        no_longer hardly barely
        """)
        // Failure verbs negate what follows and are bad news themselves: "failed to break resistance" is the breakout that did not happen.
        add("failed_to fails_to fail_to failing_to unable_to") { $0.flags.insert(.negator); $0.valence = -0.3 }
        flag(.explainer, "how why what")
        valence(0.4, "hold_above holds_above held_above holding_above")
        // Valuation words: stretched prices are a bearish view, cheap ones a bullish one.
        valence(-0.5, "expensive overpriced frothy stretched")
        // "less bearish" is a softening, read as mildly the other way.
        modifier(-0.5, "less")
        modifier(1.3, """
        very highly strongly significantly substantially considerably greatly markedly notably materially
        deeply really
        """)
        modifier(1.5, "extremely sharply dramatically massively hugely steeply exceptionally remarkably")
        modifier(0.5, "slightly marginally barely")
        modifier(0.65, "somewhat modestly mildly moderately partly partially little a_bit")
        modifier(0.8, "relatively fairly")
        hedge(0.6, "could may might possibly perhaps potentially conceivably")
        hedge(0.8, "would should if unless reportedly speculation rumor rumors rumour rumours allegedly risk_of")
        flag(.contrastCoordinator, "but however yet nevertheless nonetheless")
        flag(.contrastSubordinator, """
        although though despite in_spite_of even_as even_though even_if notwithstanding whereas
        """)
        flag(.clauseOpener, "while")
        flag(.backgroundClause, "after following")
        flag(.beVerb, """
        is are was were be been being remain remains remained stay stays stayed closed ended finished traded
        trading moved edged ticked went go goes going gone came come picked speeded
        """)
        flag(.levelPreposition, "to into")
        flag(.comparator, "compared versus vs vs.")
        flag(.baselinePreposition, "from")
        flag(.than, "than")
        flag(.functionWord, """
        as after amid while and or in on at for with to from by since despite before than of into over
        under during until toward towards against among near above below across through after
        """)
        flag(.expectation, """
        expected expectations expectation estimates estimate forecast forecasts anticipated consensus
        projections projected predicted forecasted guidance planned
        """)

        // Bitcoin and crypto-market relevance.
        flag(.crypto, """
        bitcoin bitcoins btc xbt crypto cryptos cryptocurrency cryptocurrencies ether ethereum eth blockchain
        stablecoin stablecoins satoshi satoshis sats hashrate hash_rate halving altcoin altcoins defi ibit
        fbtc gbtc arkb bitb hodl digital_asset digital_assets digital_gold coinbase binance microstrategy
        mstr saylor solana sol xrp on-chain tether coin coins coinshares usdt usdc hashprice hash_price hash_ribbon hash_ribbons
        miners_capitulation onchain mempool spot_etf spot_etfs bitcoin_etf bitcoin_etfs
        crypto_market token tokens web3  btc-usd btcusd lightning_network
        """)

        // Speaker classes from attribution.
        speaker(.institutional, """
        portfolio_managers money_managers wealth_managers investment_managers
        institutions institution institutional bank banks jpmorgan jp_morgan goldman goldman_sachs
        morgan_stanley citi citigroup bank_of_america hsbc barclays ubs deutsche_bank standard_chartered
        blackrock fidelity vanguard state_street invesco franklin_templeton vaneck grayscale ark_invest
        wisdomtree bitwise asset_manager asset_managers fund_manager fund_managers hedge_fund hedge_funds
        pension_fund pension_funds endowment endowments family_offices sovereign_wealth allocators issuer
        issuers etf_issuers fund funds treasury_companies nomura bnp_paribas societe_generale
        """)
        speaker(.analyst, """
        analyst analysts strategist strategists economist economists researcher researchers research
        bernstein kaiko glassnode cryptoquant 10x_research k33 matrixport santiment coin_metrics chainalysis
        """)
        speaker(.miner, """
        mining_firms
        miner miners mining_firm mining_company mining_companies marathon_digital mara riot riot_platforms
        cleanspark core_scientific hut_8 bitfarms cipher_mining iren bitdeer
        """)
        speaker(.retail, """
        retail retail_investors retail_traders individual_investors small_investors individuals aaii reddit
        non-institutional independent_investors
        """)
        speaker(.media, """
        reuters bloomberg coindesk cointelegraph the_block decrypt cnbc financial_times ft wall_street_journal
        wsj newspaper daily magazine news_agency media
        """)
        flag(.attributionCue, """
        said says say according told stated states noted notes wrote writes warn warned warns added argued argues
        argue note predict expected cautioned cautions flagged
        bullish bearish optimistic pessimistic
        believe believes believed expects expect predicted predicts estimated survey surveyed
        polled poll reported reports thinks think sees commented explained claimed claims suggested
        suggests
        """)

        // Crypto-market events. Each group is news the crypto market reads one way whatever the wording around it:
        // adoption (a launch, listing, integration or partnership brings users and liquidity), capital coming in
        // (funding rounds, investments, acquisitions, treasury purchases), regulatory approval, network upgrades and
        // airdrops are good news; hacks, exploits, thefts and scams, enforcement (charges, fines, bans, crackdowns,
        // subpoenas, guilty pleas), rejections and delays of products, shutdowns and withdrawals from a market,
        // de-pegs and liquidations are bad news. The same words are routine in company news (a product launch, a
        // listed company, restructuring charges), so they count only in sentences about crypto.
        func event(_ v: Float, _ words: String) { add(words) { $0.valence = v; $0.flags.insert(.cryptoEvent) } }
        event(0.4, """
        launch launches launched launching unveil unveils unveiled rolls_out rolled_out roll_out goes_live go_live
        went_live gone_live is_live now_live debut debuts debuted listing listings lists listed integrate integrates
        integrated integration partners partnered team_up teams_up teamed_up collaborate collaborates adopt adopts
        adopted embrace embraces embraced accept accepts accepted onboard onboards onboarded introduces introduced
        opens opened begins_trading start_trading starts_trading mainnet airdrop airdrops crypto-friendly
        rolling_out rolls_out now_available available enable enables enabling kicks_off kicked_off set_up sets_up
        expands expanding deal deals earn earns rewards token_sale presale pre-sale ido ieo build builds building
        help helps clarity historic moves_forward move_forward
        """)
        // Purchases are demand: "MicroStrategy buys more bitcoin", treasury purchases.
        event(0.4, "buy_more buys_more buying_more purchase purchases purchased buys_bitcoin bought_bitcoin")
        // Venture funding is news of capital coming in wherever it appears.
        valence(0.4, "funding funding_round seed_round series_a series_b series_c series_d fundraise fundraising")
        event(0.4, """
        invest invests invested investing investment investments backs backed backing acquire acquires
        acquired acquisition acquisitions grant grants milestone
        """)
        event(0.6, "approve approves approved greenlight greenlights greenlit legal_tender")
        // Crime and enforcement words are bad news in any sentence.
        valence(-0.6, """
        hacker hackers hacks steal steals stealing scammer scammers scams phishing rug_pull rugpull ponzi
        crackdown cracks_down cracked_down clampdown subpoena subpoenas indicted indictment pleads_guilty
        pleaded_guilty guilty convicted laundering evasion illicit manipulation exploiters hijack hijacks hijacked
        """)
        event(-0.6, """
        charges reject rejects bans bar bars barred prohibit prohibits prohibited halts freezes froze frozen seized
        seize seizes blocked block_payments shuts shutting shuttered closing_down closes_down delists depeg de-peg
        depegged de-pegged depegs drained drains bug bugs vulnerability outage sanctions sanctioned punts postpones
        postponed suspends banning removes dissolving slashed
        """)
        event(-0.4, "no_longer stay_away")
        event(-0.4, "tighter tightening oversight speculative mistake falsely regret")
        valence(0.4, "on_track easier")
        flag(.crypto, """
        grayscale bitwise opensea chainlink huobi okex okx bitmex celsius nexo dydx sushiswap pancakeswap terra luna
        cosmos fantom tezos stellar algorand hedera litecoin shiba axie animoca consensys bitfinex bitstamp kucoin
        ftx_us microstrategy ripple crypto.com blockchain.com exchange_token
        digital_currency digital_currencies digital_yuan digital_dollar digital_euro digital_pound
        nft nfts dao daos dex metaverse staking stablecoin mainnet testnet cbdc cbdcs memecoin dogecoin doge
        cardano polkadot avalanche polygon uniswap aave opensea kraken ftx blockfi gemini bakkt metamask airdrop
        airdrops tokenized tokenization crypto-friendly ico icos layer-2 rollup rollups web3 defi
        """)

        // Opinion units: technical vocabulary (R's evidence), assets compared with Bitcoin, forward-looking words.
        flag(.technical, """
        resistance support chart charts chartist technicals technical_analysis indicator indicators rsi macd
        moving_average moving_averages 50-day 200-day 200-week 20-day 100-day ichimoku kumo kumo_twist cloud
        candle candles candlestick trendline trend_line breakout breakdown fibonacci head_and_shoulders double_top
        double_bottom death_cross golden_cross oversold overbought bollinger wedge triangle retest
        bearish_crossover bullish_crossover below_the_cloud above_the_cloud below_the_kumo above_the_kumo
        hash_ribbon hash_ribbons tenkan kijun momentum_indicator relative_strength
        """)
        flag(.otherAsset, """
        ethereum ether eth solana sol xrp ripple dogecoin doge cardano ada altcoins altcoin gold silver stocks
        equities nasdaq s&p dow bonds treasuries dollar
        """)
        flag(.bitcoin, "bitcoin bitcoins btc xbt btc-usd btcusd")
        flag(.forwardLooking, """
        will won't going_to target targets forecast forecasts predict predicts predicted expect expects expected
        outlook could may might would should believe believes think thinks see sees
        """)

        // Survey claim cues: share words and populations.
        flag(.shareCue, """
        percent per_cent pct majority minority most half thirds quarters fifths two-thirds three-quarters
        one-third one-quarter one-fifth two-fifths three-fifths four-fifths a_third a_quarter a_fifth
        one_third one_quarter one_fifth
        """)
        flag(.countWord, """
        one two three four five six seven eight nine ten twenty thirty forty fifty sixty seventy eighty
        ninety
        """)
        for tens in ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"] {
            for unit in ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"] {
                flag(.countWord, tens + "-" + unit)
            }
        }
        flag(.population, """
        institutions institutional fund_managers asset_managers portfolio_managers money_managers
        wealth_managers investment_managers analysts strategists economists miners retail retail_investors
        retail_traders non-institutional independent_investors individual_investors allocators hedge_funds
        pension_funds family_offices mining_companies mining_firms endowments financial_advisers financial_advisors
        corporate_treasuries respondents sovereign_wealth
        """)
        flag(.shareFollower, "of in out percent pct per said say says believe believes think expect expects see")
        return t
    }
}
