import Testing
@testable import Citations

/// The shape filter in front of the edit distance (a misspelt citation is compared with every entry
/// of its year) never turns away a pair within the limit, and turns away pairs that are far apart.
struct NameShapeTests {
    static let names = ["jiliani", "jillani", "khan", "kahn", "rahman", "rehman", "usman", "osmani", "barnett", "burnett",
                        "müller", "muller", "şahin", "sahin", "zwingel", "zwengel", "abecasis", "ab", "chandio", "chandiyo"]

    /// The names and their one-edit variants (a letter deleted, replaced, or swapped with the next).
    static let keys: [String] = {
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
        return keys
    }()

    /// Every pair of those: within `limit` edits, the filter lets the pair through.
    @Test func neverRejectsAPairWithinTheLimit() {
        var checked = 0
        for a in Self.keys {
            for b in Self.keys {
                for limit in 1...3 where Names.distance(a, b, limit: limit) <= limit {
                    #expect(Names.Shape(a).mayBeWithin(limit, of: Names.Shape(b)), "\(a) / \(b) at \(limit)")
                    checked += 1
                }
            }
        }
        #expect(checked > 10_000)
    }

    /// The distance (on bytes for ASCII keys, on scalars for others) is the restricted
    /// Damerau-Levenshtein distance of the whole table, or `limit + 1` past the limit.
    @Test func distanceIsTheWholeTablesUpToTheLimit() {
        func whole(_ a: String, _ b: String) -> Int {
            let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
            var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
            for i in 0...x.count { d[i][0] = i }
            for j in 0...y.count { d[0][j] = j }
            for i in stride(from: 1, through: x.count, by: 1) {
                for j in stride(from: 1, through: y.count, by: 1) {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                    if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                }
            }
            return d[x.count][y.count]
        }
        for a in Self.keys + [""] {
            for b in Self.names + [""] {
                for limit in 1...3 {
                    #expect(min(Names.distance(a, b, limit: limit), limit + 1) == min(whole(a, b), limit + 1), "\(a) / \(b) at \(limit)")
                }
            }
        }
        #expect(Names.distance("khan", "kahn", limit: 2) == 1)
        #expect(Names.distance("müller", "muller", limit: 2) == 1)
    }

    @Test func rejectsNamesFarApart() {
        #expect(!Names.Shape("jiliani").mayBeWithin(1, of: Names.Shape("barnett")))  // letters
        #expect(!Names.Shape("khan").mayBeWithin(1, of: Names.Shape("khanzada")))  // lengths
        #expect(Names.Shape("jiliani").mayBeWithin(1, of: Names.Shape("jillani")))
        #expect(Names.Shape("müller").characters == 6 && Names.Shape("m\u{FC}ller").scalars == 6)
    }
}

/// The near-name index gives, for a cited name, every entry of the year whose first author is a
/// near match by the linker's rule (it may give more: the linker checks each).
struct NearNameIndexTests {
    /// The linker's rule (`Linker.fuzzy`): both names of `minLength` or more characters, within
    /// `ratio` edits per character of the longer.
    static func isNear(_ a: String, _ b: String, ratio: Double, minLength: Int = 5) -> Bool {
        let la = a.count, lb = b.count
        guard min(la, lb) >= minLength else { return false }
        let limit = max(1, Int(Double(max(la, lb)) * ratio))
        return Names.distance(a, b, limit: limit) <= limit
    }

    @Test(arguments: [0.2, 0.3, 0.5])
    func candidatesHoldEveryNearMatch(ratio: Double) throws {
        // the year's first authors: names, their one- and two-edit variants, longer and shorter ones
        var listed = NameShapeTests.keys
        listed += NameShapeTests.names.map { $0 + "ski" } + NameShapeTests.names.map { String($0.dropLast(2)) }
        listed += ["abdulrahmanzadeh", "abdurrahmanzada", "müllerová"]
        let entries = Array(0..<listed.count)
        let index = NearNameIndex(ratio: ratio)
        let firstKey = { (r: Int) -> (String, Names.Shape)? in (listed[r], Names.Shape(listed[r])) }
        let cited = NameShapeTests.names + ["abdulrahmanzade", "jilani", "khanzada", "mueller"]
        var served = 0
        for name in cited {
            let near = entries.filter { Self.isNear(name, listed[$0], ratio: ratio) }
            // (the first searches of a year read it whole: nil)
            var found: [Int]?
            for _ in 0...NearNameIndex.scansBeforeIndex {
                found = index.candidates(name, Names.Shape(name), year: "2019", entries: entries[...], firstKey: firstKey)
            }
            guard let found else { continue }
            served += 1
            #expect(Set(near).isSubset(of: Set(found)), "\(name) at \(ratio): missed \(Set(near).subtracting(found).map { listed[$0] })")
            // (at half the length in edits most names reach past what the index holds: read whole)
            if ratio < 0.5 { #expect(found.count < listed.count, "\(name) at \(ratio): the index turned nothing away") }
        }
        if ratio < 0.5 { #expect(served >= cited.count / 2) }
    }

    @Test func reachCoversTheLongerName() {
        // at 0.2 a 9-letter name is within 2 edits of a 10-letter one (the limit of the longer)
        #expect(NearNameIndex.reach(9, ratio: 0.2) == 2)
        #expect(NearNameIndex.reach(5, ratio: 0.2) == 1)
        #expect(NearNameIndex.deletions(Array("abc".utf8), 1) == Set(["abc", "bc", "ac", "ab"].map { Array($0.utf8) }))
    }
}
