import SluiceLedger
import Testing

@Suite struct TokenPriceTests {
    @Test(arguments: [
        ("4", Int64(4_000_000)),
        ("4.00", 4_000_000),
        ("0.0375", 37_500),
        ("0.125", 125_000),
        ("0", 0),
        ("0.000001", 1),
        ("15", 15_000_000),
        ("007.5", 7_500_000),
        ("1.50000000", 1_500_000),
    ])
    func parsesVendorPriceText(text: String, nanosPerThousandTokens: Int64) throws {
        let price = try #require(TokenPrice(dollarsPerMillionTokens: text))
        #expect(price.nanosPerThousandTokens == nanosPerThousandTokens)
    }

    @Test(arguments: [
        "", ".", "4.", ".5", "-1", "-0.5", "+4", " 4", "4 ", "1,000", "4e0", "1E3", "0.0000001", "$4", "four",
        "1.2.3", "99999999999999999999",
    ])
    func rejectsMalformedNegativeOrTooFinePriceText(text: String) {
        #expect(TokenPrice(dollarsPerMillionTokens: text) == nil)
    }

    @Test func pricesAMillionTokensAtTheQuotedDollarFigure() throws {
        let price = try #require(TokenPrice(dollarsPerMillionTokens: "0.0375"))
        #expect(price.cost(of: 1_000_000) == USD(nanos: 37_500_000))
    }

    @Test(arguments: [
        // 1 token at $0.0375/M is 37.5 nanodollars: half rounds up.
        (Int64(37_500), 1, Int64(38)),
        // 1 token at $0.0374/M is 37.4 nanodollars: rounds down.
        (37_400, 1, 37),
        // 3 tokens at $0.000001/M is 0.003 nanodollars: rounds to zero.
        (1, 3, 0),
        // 500 tokens at $0.000001/M is exactly half a nanodollar: rounds up.
        (1, 500, 1),
        (1, 499, 0),
        (3_000_000, 1_234, 3_702_000),
        (3_000_000, 0, 0),
    ])
    func roundsEachLineItemHalfUpOnce(nanosPerThousandTokens: Int64, tokens: Int, nanos: Int64) {
        #expect(TokenPrice(nanosPerThousandTokens: nanosPerThousandTokens).cost(of: tokens) == USD(nanos: nanos))
    }

    @Test func handlesTokenCountsFarBeyondAnyTurnWithoutOverflow() {
        // $75/M × 10¹² tokens = $75 million: tokens × price exceeds Int64 before the division.
        let price = TokenPrice(nanosPerThousandTokens: 75_000_000)
        #expect(price.cost(of: 1_000_000_000_000) == USD(nanos: 75_000_000_000_000_000))
    }
}
