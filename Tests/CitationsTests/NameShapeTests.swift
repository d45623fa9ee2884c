import Testing
@testable import Citations

/// The shape filter in front of the edit distance (a misspelt citation is compared with every entry
/// of its year) never turns away a pair within the limit, and turns away pairs that are far apart.
struct NameShapeTests {
    static let names = ["jiliani", "jillani", "khan", "kahn", "rahman", "rehman", "usman", "osmani", "barnett", "burnett",
                        "müller", "muller", "şahin", "sahin", "zwingel", "zwengel", "abecasis", "ab", "chandio", "chandiyo"]

    /// Every pair of names and of their one- and two-edit variants: within `limit` edits, the
    /// filter lets the pair through.
    @Test func neverRejectsAPairWithinTheLimit() {
        var keys = Self.names
        for n in Self.names {
            let s = Array(n.unicodeScalars)
            for i in s.indices {
                var deleted = s
                deleted.remove(at: i)
                var substituted = s
                substituted[i] = "x"
                keys.append(String(String.UnicodeScalarView(deleted)))
                keys.append(String(String.UnicodeScalarView(substituted)))
                if i + 1 < s.count {
                    var swapped = s
                    swapped.swapAt(i, i + 1)
                    keys.append(String(String.UnicodeScalarView(swapped)))
                }
            }
        }
        var checked = 0
        for a in keys {
            for b in keys {
                for limit in 1...3 where Names.distance(a, b, limit: limit) <= limit {
                    #expect(Names.Shape(a).mayBeWithin(limit, of: Names.Shape(b)), "\(a) / \(b) at \(limit)")
                    checked += 1
                }
            }
        }
        #expect(checked > 10_000)
    }

    @Test func rejectsNamesFarApart() {
        #expect(!Names.Shape("jiliani").mayBeWithin(1, of: Names.Shape("barnett")))  // letters
        #expect(!Names.Shape("khan").mayBeWithin(1, of: Names.Shape("khanzada")))  // lengths
        #expect(Names.Shape("jiliani").mayBeWithin(1, of: Names.Shape("jillani")))
        #expect(Names.Shape("müller").characters == 6 && Names.Shape("m\u{FC}ller").scalars == 6)
    }
}
