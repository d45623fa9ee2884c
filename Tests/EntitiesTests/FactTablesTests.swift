import Testing
@testable import Entities

/// The tables the fact checks look statements up in.
struct FactTablesTests {
    /// Dates by first token: found by bisection; of two dates starting at one token, the later
    /// mention counts.
    @Test func datesByTokenFindsTheLaterMention() {
        var dates = DocAnalysis.DatesByToken()
        dates.items = [(first: 7, mention: 1), (first: 3, mention: 0), (first: 7, mention: 4), (first: 12, mention: 2), (first: 7, mention: 3)]
        dates.finish()
        #expect(dates[7] == 4)
        #expect(dates[3] == 0)
        #expect(dates[12] == 2)
        for missing in [0, 2, 4, 6, 8, 11, 13, 100] { #expect(dates[missing] == nil) }
    }
}
