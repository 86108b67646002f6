import Foundation
import Market
import Testing
@testable import Positioning

@Suite("CFTC TFF reader")
struct TFFReaderTests {
    /// Two API rows of CME Bitcoin and one of another market, as the CFTC's public API returns them (numbers as strings).
    static let apiRows = """
        [{"market_and_exchange_names":"BITCOIN - CHICAGO MERCANTILE EXCHANGE","report_date_as_yyyy_mm_dd":"2026-01-27T00:00:00.000",
          "cftc_contract_market_code":"133741","open_interest_all":"20000","dealer_positions_long_all":"500","dealer_positions_short_all":"900",
          "asset_mgr_positions_long":"8000","asset_mgr_positions_short":"2000","lev_money_positions_long":"3000","lev_money_positions_short":"12000",
          "other_rept_positions_long":"1000","other_rept_positions_short":"800","nonrept_positions_long_all":"1500","nonrept_positions_short_all":"1300"},
         {"market_and_exchange_names":"EURO FX - CHICAGO MERCANTILE EXCHANGE","report_date_as_yyyy_mm_dd":"2026-01-27T00:00:00.000",
          "cftc_contract_market_code":"099741","open_interest_all":"700000","dealer_positions_long_all":"1","dealer_positions_short_all":"1",
          "asset_mgr_positions_long":"1","asset_mgr_positions_short":"1","lev_money_positions_long":"1","lev_money_positions_short":"1"},
         {"market_and_exchange_names":"MICRO BITCOIN - CHICAGO MERCANTILE EXCHANGE","report_date_as_yyyy_mm_dd":"2026-01-27T00:00:00.000",
          "cftc_contract_market_code":"133742","open_interest_all":60000,"dealer_positions_long_all":0,"dealer_positions_short_all":100,
          "asset_mgr_positions_long":5000,"asset_mgr_positions_short":1000,"lev_money_positions_long":9000,"lev_money_positions_short":20000}]
        """

    @Test("API JSON rows: CME Bitcoin and Micro kept separately, other markets skipped, every position read")
    func apiJSON() throws {
        let result = try TFFReader.read(Array(Self.apiRows.utf8), source: "api")
        #expect(result.points.map(\.market) == ["133741", "133742"])
        let cme = try #require(result.points.first)
        #expect(cme == TFFReport(market: "133741", reportDate: UTCDay(year: 2026, month: 1, day: 27), unit: .contracts, openInterest: 20_000,
                                 assetManagerLong: 8_000, assetManagerShort: 2_000, leveragedFundsLong: 3_000, leveragedFundsShort: 12_000,
                                 dealerLong: 500, dealerShort: 900, otherReportableLong: 1_000, otherReportableShort: 800,
                                 nonReportableLong: 1_500, nonReportableShort: 1_300))
        // (8000 − 2000) / 20000 = 0.30; (3000 − 12000) / 20000 = −0.45.
        #expect(cme.assetManagerNetShare == 0.3)
        #expect(cme.leveragedFundsNetShare == -0.45)
        #expect(result.warnings.map(\.reason) == ["1 row(s) of other markets skipped"])
    }

    @Test("the report as of a Tuesday is knowable at the end of the Friday after it")
    func publication() {
        let report = TFFReport(market: "133741", reportDate: UTCDay(year: 2026, month: 2, day: 3), unit: .contracts, openInterest: 1,
                               assetManagerLong: 0, assetManagerShort: 0, leveragedFundsLong: 0, leveragedFundsShort: 0, dealerLong: 0, dealerShort: 0)
        #expect(report.publicationDay.iso == "2026-02-06")
        #expect(report.publicationDay.weekday == 5)
        #expect(report.knowable == UTCDay(year: 2026, month: 2, day: 7).start)
    }

    @Test("the weekly comma-delimited file with the CFTC's column names, YYMMDD dates and market names")
    func weeklyFile() throws {
        let text = """
            "Market_and_Exchange_Names","As_of_Date_In_Form_YYMMDD","CFTC_Contract_Market_Code","Open_Interest_All","Dealer_Positions_Long_All","Dealer_Positions_Short_All","Asset_Mgr_Positions_Long_All","Asset_Mgr_Positions_Short_All","Lev_Money_Positions_Long_All","Lev_Money_Positions_Short_All"
            "BITCOIN - CHICAGO MERCANTILE EXCHANGE",260203,"133741",21000,400,1000,7000,2500,3500,13000
            "S&P 500 Consolidated - CHICAGO MERCANTILE EXCHANGE",260203,"13874+",1,1,1,1,1,1,1

            """
        let result = try TFFReader.read(Array(text.utf8), source: "FinFut26.txt")
        #expect(result.points.map { "\($0.market) \($0.reportDate.iso) \($0.openInterest) \($0.assetManagerLong)" } == ["133741 2026-02-03 21000.0 7000.0"])
        #expect(result.points.first?.otherReportableLong == nil)
    }

    @Test("this project's Bitcoin-equivalent CSV (CME Bitcoin and Micro together) is one series in BTC")
    func btcEquivalent() throws {
        let csv = "report_date,open_interest_btc,asset_manager_long_btc,asset_manager_short_btc,leveraged_funds_long_btc,leveraged_funds_short_btc,dealer_long_btc,dealer_short_btc\n2026-02-03,150000,60000,10000,20000,90000,3000,5000\n"
        let result = try TFFReader.read(Array(csv.utf8), source: "tff.csv")
        #expect(result.points.map(\.market) == ["cme_bitcoin_btc_equivalent"])
        #expect(result.points.first?.unit == .btc)
    }

    @Test("a JSON body over the limit is refused before it is parsed")
    func hugeJSON() {
        var body = [UInt8](repeating: UInt8(ascii: " "), count: 50 << 20)
        body[0] = UInt8(ascii: "[")
        #expect(throws: SeriesError.unreadable(source: "api", reason: "JSON body of \(50 << 20) bytes, more than \(TFFReader.maxJSONBytes)")) {
            try TFFReader.read(body, source: "api")
        }
    }

    @Test("a missing position column refuses the file and names the column")
    func missingColumn() {
        #expect(throws: SeriesError.unreadable(source: "x", reason: "missing column asset_mgr_positions_long")) {
            try TFFReader.read(Array("report_date,open_interest\n2026-02-03,5\n".utf8), source: "x")
        }
    }

    @Test("a row with a negative or unreadable position is rejected with its line")
    func badRow() throws {
        let csv = "report_date,open_interest,asset_manager_long,asset_manager_short,leveraged_funds_long,leveraged_funds_short,dealer_long,dealer_short\n2026-02-03,5,-1,0,0,0,0,0\n2026-02-10,5,n/a,0,0,0,0,0\n"
        let result = try TFFReader.read(Array(csv.utf8), source: "x")
        #expect(result.points.isEmpty)
        #expect(result.problems.map(\.description) == ["x:2: asset_mgr_positions_long '-1' is not a non-negative number", "x:3: a required position is empty"])
    }
}

@Suite("CFTC weekly file without a header row")
struct TFFHeaderlessTests {
    @Test("the current-week file is read by the CFTC's column order")
    func headerless() throws {
        // Market, YYMMDD, date, contract code, market/region/commodity codes, OI, dealer L/S/spread, asset manager L/S/spread,
        // leveraged L/S/spread, other L/S/spread, total reportable L/S, non-reportable L/S.
        let line = "\"BITCOIN - CHICAGO MERCANTILE EXCHANGE\",260203,2026-02-03,\"133741\",\"CME\",\"00\",\"133\",21000,400,1000,0,7000,2500,0,3500,13000,0,1000,800,0,11900,17300,1500,1300\n"
        let result = try TFFReader.read(Array(line.utf8), source: "FinFutWk.txt")
        let report = try #require(result.points.first)
        #expect(report.reportDate.iso == "2026-02-03")
        #expect([report.openInterest, report.dealerLong, report.assetManagerLong, report.assetManagerShort, report.leveragedFundsShort] == [21000, 400, 7000, 2500, 13000])
        #expect([report.otherReportableLong, report.nonReportableShort] == [1000, 1300])
    }
}
