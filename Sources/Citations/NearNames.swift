/// The entries of one year whose first author's name key may be a near match of a cited name
/// (`Linker.fuzzy`: within `limit` edits, the limit a share of the longer name's length), found
/// through a symmetric deletion index: two keys within `k` edits give a common string when at most
/// `k` letters are deleted from each (a substitution or an adjacent swap deletes one letter from
/// both, an insertion one from the other). A citation matching no entry exactly was compared with
/// every entry of its year; with the index it reads only the entries that share such a string with
/// it, so a list crowding one year with thousands of entries costs each such citation about the
/// same as a short list.
///
/// A year is read whole by its first `scansBeforeIndex` searches (most years get few, and building
/// the index costs more than reading the year), and for a cited name the index cannot serve: one
/// outside ASCII, or long enough to be allowed more than `maxDeletions` edits. Entries whose key is
/// such a name are always candidates.
final class NearNameIndex {
    /// Near-match searches a year gets read whole before it is indexed.
    static let scansBeforeIndex = 8
    /// The most letters deleted from a key for the index; longer reaches read the year whole.
    static let maxDeletions = 3

    private let ratio: Double
    private var scans: [String: Int] = [:]
    private var years: [String: Year] = [:]

    private struct Year {
        /// A key with up to its reach of letters deleted -> the entries whose first author's key
        /// gives it (ascending, each once).
        var entries: [[UInt8]: [Int]] = [:]
        /// The entries whose first author's key the index does not hold.
        var always: [Int] = []
    }

    /// `ratio`: the linker's `nameMismatchRatio`.
    init(ratio: Double) {
        self.ratio = ratio
    }

    /// The edits two keys may be apart when one of them has `length` characters: the most the
    /// limit allows for that key and any other key close enough in length to be within it.
    static func reach(_ length: Int, ratio: Double) -> Int {
        func limit(_ n: Int) -> Int { max(1, Int(Double(n) * ratio)) }
        var most = limit(length)
        // (the ratio is at most 0.5, so a key within the limit is at most twice as long)
        for other in length...(2 * length + 2) where other - length <= limit(other) { most = max(most, limit(other)) }
        return most
    }

    /// The strings `key` gives with up to `k` letters deleted, `key` itself included.
    static func deletions(_ key: [UInt8], _ k: Int) -> Set<[UInt8]> {
        var out: Set<[UInt8]> = [key]
        var level: Set<[UInt8]> = [key]
        for _ in 0..<k {
            var next: Set<[UInt8]> = []
            for s in level where !s.isEmpty {
                for i in s.indices {
                    var d = s
                    d.remove(at: i)
                    if out.insert(d).inserted { next.insert(d) }
                }
            }
            level = next
        }
        return out
    }

    /// The ASCII bytes of `key` and its reach, when the index can hold it.
    private func indexable(_ key: String, _ shape: Names.Shape) -> ([UInt8], Int)? {
        guard shape.characters == shape.scalars, key.utf8.count == shape.scalars else { return nil }
        let k = Self.reach(shape.characters, ratio: ratio)
        return k <= Self.maxDeletions ? (Array(key.utf8), k) : nil
    }

    /// The entries among `entries` (one year's, ascending) whose first author's key may be a near
    /// match of `cited`, ascending; nil when the year is to be read whole.
    /// (`firstKey(r)`: entry `r`'s first author's key and its shape, nil for an entry without authors.)
    func candidates(_ cited: String, _ shape: Names.Shape, year: String, entries: ArraySlice<Int>,
                    firstKey: (Int) -> (String, Names.Shape)?) -> [Int]? {
        guard let (bytes, k) = indexable(cited, shape) else { return nil }
        if years[year] == nil {
            scans[year, default: 0] += 1
            guard scans[year]! > Self.scansBeforeIndex else { return nil }
            years[year] = build(entries, firstKey)
        }
        let index = years[year]!
        var found = Set(index.always)
        for d in Self.deletions(bytes, k) {
            if let hits = index.entries[d] { found.formUnion(hits) }
        }
        return found.sorted()
    }

    private func build(_ entries: ArraySlice<Int>, _ firstKey: (Int) -> (String, Names.Shape)?) -> Year {
        var year = Year()
        for r in entries {
            guard let (key, shape) = firstKey(r) else { continue }
            guard let (bytes, k) = indexable(key, shape) else {
                year.always.append(r)
                continue
            }
            for d in Self.deletions(bytes, k) { year.entries[d, default: []].append(r) }
        }
        return year
    }
}
