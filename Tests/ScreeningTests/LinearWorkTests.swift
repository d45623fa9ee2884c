import AssayCore
import Testing
@testable import Screening

#if DEBUG  // (the work is counted in debug builds only)
/// The screening's work, counted (bytes read for words, passage and title words visited,
/// paragraphs looked through, author pairs compared: `WorkCounter`), grows in proportion to the
/// input on inputs that would make a careless screening quadratic: the same input four times as
/// long must take about four times the steps, not sixteen.
struct LinearWorkTests {
    /// Steps the stage takes on `text` (after ingest and the citations stage).
    static func steps(_ text: String) throws -> Int {
        var d = try Fixtures.article(text)
        let stage = try Fixtures.stage
        let counter = WorkCounter()
        try WorkCounter.$current.withValue(counter) { try stage.process(&d) }
        return counter.steps
    }

    /// The ratio of the steps on the input made with `4n` pieces to those with `n`.
    static func growth(_ n: Int, _ make: (Int) -> String) throws -> Double {
        let small = try steps(make(n))
        let large = try steps(make(4 * n))
        #expect(small > 0)
        return Double(large) / Double(max(small, 1))
    }

    static func expectLinear(_ ratio: Double, _ what: String) {
        #expect(ratio > 3 && ratio < 5, "\(what): 4x the input took \(ratio)x the steps")
    }

    static let references = """
        REFERENCES

        Smith, J. (2019). Enforced disappearances and human rights law in Pakistan. Journal of Human Rights, 3(1), 1-9.

        Jones, K. (2020). Deep learning for protein folding. Nature Methods, 2(1), 3-4.
        """

    @Test func manyCitingParagraphs() throws {
        Self.expectLinear(try Self.growth(300) { n in
            "Disappearances in Balochistan\n\n"
                + String(repeating: "Smith (2019) argues that enforced disappearances in Balochistan violate human rights law. Courts rarely act (Jones, 2020).\n\n", count: n)
                + Self.references
        }, "paragraphs with citations")
    }

    @Test func paragraphWithoutFullStop() throws {
        Self.expectLinear(try Self.growth(300) { n in
            "Disappearances in Balochistan\n\n"
                + String(repeating: "Smith (2019) argues that enforced disappearances violate human rights law and Jones (2020) shows the folding of proteins and ", count: n)
                + "\n\n" + Self.references
        }, "one paragraph with no full stop")
    }

    /// A reference list of `n` entries written by `entry`, after a paragraph citing one of them.
    static func referenceList(_ n: Int, _ entry: (Int) -> String) -> String {
        "Disappearances in Balochistan\n\nKhan (2001) argues that enforced disappearances violate human rights law.\n\nREFERENCES\n\n"
            + (0..<n).map { entry($0) + "\n\n" }.joined()
    }

    @Test func longReferenceList() throws {
        Self.expectLinear(try Self.growth(300) { n in
            Self.referenceList(n) { "Khan, A. (\(2000 + $0 % 20)). Enforced disappearance and the law, part \($0). Journal of Law, 1(2), 2-3." }
        }, "references")
        // one family name with different initials in each entry: grouping its ways of writing into
        // people does not compare each with every other
        Self.expectLinear(try Self.growth(300) { n in
            Self.referenceList(n) { "Khan, \(Self.initials($0)) (\(2000 + $0 % 20)). A study of rights number \($0). Journal of Law, 1(2), 1-9." }
        }, "one family name written many ways")
    }

    /// Initials different for each number below 26³ (`A. A. A.`, `B. A. A.`, ...).
    static func initials(_ i: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "\(letters[i % 26]). \(letters[i / 26 % 26]). \(letters[i / 676 % 26])."
    }

    /// The same for the grouping alone, with first names and two of the family in each entry.
    @Test func groupingOneFamilyWrittenManyWays() {
        func steps(_ n: Int) -> Int {
            let refs = (0..<n).map { i in
                Reference(span: Span(i * 10, i * 10 + 5), authors: [
                    PersonName(family: "Khan", given: "\(Self.word(i)) \(Self.initials(i))"),
                    PersonName(family: "Khan", given: Self.initials(i + 7)),
                ], year: "2020", title: "T\(i)")
            }
            let counter = WorkCounter()
            WorkCounter.$current.withValue(counter) { _ = ConcentrationScreen(options: .init()).authors(refs) }
            return counter.steps
        }
        Self.expectLinear(Double(steps(1_200)) / Double(max(steps(300), 1)), "grouping one family name written many ways")
    }

    /// A different made-up word for each number (`wb`, `wc`, ..., `wba`, ...).
    static func word(_ i: Int) -> String {
        var w = ""
        var k = i + 1
        while k > 0 {
            w.append(Character(Unicode.Scalar(UInt8(0x61 + k % 26))))
            k /= 26
        }
        return "w" + w
    }

    @Test func longTitle() throws {
        Self.expectLinear(try Self.growth(2_000) { n in
            "Disappearances in Balochistan\n\nSmith (2019) argues that enforced disappearances violate human rights law.\n\nREFERENCES\n\n"
                + "Smith, J. (2019). " + (0..<n).map(Self.word).joined(separator: " ") + ". Journal of Law, 1(2), 2-3.\n"
        }, "a cited work with a long title")
    }
}
#endif
