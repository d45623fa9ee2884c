import AssayCore
import Testing
@testable import Citations

/// The token arrays and year strings the reference parser reuses read what making them anew reads.
struct TokenReuseTests {
    /// A token's fields, to compare (`Token` is not `Equatable`).
    static func fields(_ tk: Token) -> [Int] {
        [Int(tk.kind.rawValue), tk.start, tk.end, Int(tk.scalar), tk.count,
         tk.upperFirst ? 1 : 0, tk.allCaps ? 1 : 0, tk.spaceBefore ? 1 : 0, tk.newlineBefore ? 1 : 0]
    }

    /// One array filled stretch after stretch holds each stretch's tokens, whether the stretch has
    /// fewer or more tokens than one per four bytes (`a b c …`: one per two bytes) or none.
    @Test func tokenizeIntoAReusedArrayMatchesTokenize() {
        let texts = [
            "Kai, S., Wang, B. and Liu, W., 2020. Title of the work. *Journal*, 51(4), 877-900.",
            (0..<300).map { _ in "a" }.joined(separator: " "),
            "",
            "   ",
            "Padía, L.B. (2019a). Tomaševski’s — “quoted” title… (pp. 1–20).\nNext line",
            (0..<50).map { "\($0 % 10)" }.joined(separator: ","),
        ]
        var reused: [Token] = []
        for text in texts + texts.reversed() {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { t in
                Bytes.tokenize(t, 0, t.count, into: &reused)
                let fresh = Bytes.tokenize(t, 0, t.count)
                #expect(reused.map(Self.fields) == fresh.map(Self.fields), "\(text.prefix(40))")
            }
        }
    }

    /// The year strings read from a table are the years' digits, their suffixes the letters.
    @Test func yearValuesAreTheYearsDigits() {
        for y in 1500...2099 {
            for suffix in ["", "a", "k", "z"] {
                let bytes = Array("(\(y)\(suffix))".utf8)
                bytes.withUnsafeBufferPointer { t in
                    let toks = Bytes.tokenize(t, 0, t.count)
                    let (year, s) = YearToken.value(t, toks, 1)
                    #expect(year == String(y))
                    #expect(s == (suffix.isEmpty ? nil : suffix))
                }
            }
        }
    }
}
