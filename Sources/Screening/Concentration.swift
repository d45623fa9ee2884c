// Citation concentration: one author in an unusual share of the reference list.

import AssayCore
import Foundation

struct ConcentrationOptions: Sendable, Equatable {
    /// An author in more than this share of the references is reported.
    var share = 0.25
    /// Lists shorter than this are not judged.
    var minReferences = 10
    /// An author must be in at least this many references to be reported.
    var minCount = 3
}

/// One way an author is written in the reference list, reduced to what identifies the person.
struct AuthorVariant: Hashable, Sendable {
    /// Family name folded to lower-case letters (`KHAN` -> `khan`, `Adler-Nissen` -> `adlernissen`).
    var family: String
    /// Folded first letters of the given names (`A. S.` -> `as`); for a name written in full or
    /// spelled out letter by letter (`A. S. I. F.`) only its first letter.
    var initials: String
    /// The first given name when written in full (`Asif`) or spelled out (`A. S. I. F.` -> `asif`).
    var name: String?
    /// As written: `Khan, A.`, `KHAN, A.`, `Asif Khan`.
    var written: String
    /// The family name as written, for naming the person.
    var familyWritten: String

    /// Reads a parsed name, coping with what reference lists do to names: upper case, initials
    /// with or without full stops and spaces (`L.B.`, `A. S.`), a given name spelled out in
    /// initials (`Khan, A. S. I. F.`), a name written given name first (`Asif Khan`) and so parsed
    /// as one family name.
    init?(_ person: PersonName) {
        if Self.isASCII(person.family), Self.isASCII(person.given ?? "") {
            guard let v = Self.ascii(person) else { return nil }
            self = v
            return
        }
        var family = person.family.trimmedBlanks()
        var given = person.given?.trimmedBlanks() ?? ""
        written = given.isEmpty ? family : "\(family), \(given)"
        if given.isEmpty {
            let words = family.split(separator: " ").map(String.init)
            if words.count >= 2, words.allSatisfy({ $0.first?.isLetter ?? false }) {
                given = words.dropLast().joined(separator: " ")
                family = words.last!
            }
        }
        let key = Words.words(of: family).joined()
        guard !key.isEmpty else { return nil }
        self.family = key
        familyWritten = family
        let parts = given.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "-" || $0 == "\u{2010}" })
            .map { Words.words(of: String($0)).joined() }.filter { !$0.isEmpty }
        if parts.isEmpty {
            initials = ""
            name = nil
        } else if parts.count >= 3, parts.allSatisfy({ $0.count == 1 }) {
            // spelled out: `A. S. I. F.` is Asif
            name = parts.joined()
            initials = String(parts[0])
        } else {
            initials = parts.map { String($0.prefix(1)) }.joined()
            name = parts[0].count >= 2 ? parts[0] : nil
        }
    }

    private init(family: String, initials: String, name: String?, written: String, familyWritten: String) {
        self.family = family
        self.initials = initials
        self.name = name
        self.written = written
        self.familyWritten = familyWritten
    }

    /// For a name in ASCII, a hash of the `family` of the variant it gives (nil when it gives
    /// none), without the rest: names with the same family have the same hash (others rarely do).
    /// Nil (outer) for a name outside ASCII, whose family is read by `init` (see `NameReadings`).
    static func asciiFamilyHash(_ person: PersonName) -> UInt64?? {
        // (on the names' UTF-8 buffers: no iterator per byte)
        var family = person.family
        var given = person.given ?? ""
        return family.withUTF8 { b in given.withUTF8 { g in asciiFamilyHash(family: b, given: g) } }
    }

    /// `asciiFamilyHash` of a name's family and given names, as UTF-8.
    private static func asciiFamilyHash(family b: UnsafeBufferPointer<UInt8>, given: UnsafeBufferPointer<UInt8>) -> UInt64?? {
        var givenEmpty = true
        for x in given {
            if x >= 0x80 { return .none }
            if x != 0x20 && x != 0x09 { givenEmpty = false }
        }
        for x in b where x >= 0x80 { return .none }
        var i = 0
        var j = b.count
        while i < j, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        while j > i, b[j - 1] == 0x20 || b[j - 1] == 0x09 { j -= 1 }
        if givenEmpty, let last = lastWordOfFullName(UnsafeBufferPointer(rebasing: b[i..<j])) { i += last }
        var h = familyHashBasis
        var letters = 0
        for k in i..<j where Words.isASCIILetter(b[k]) {
            mixFamilyHash(&h, b[k] | 0x20)
            letters += 1
        }
        return .some(letters == 0 ? nil : h)
    }

    /// The hash of a folded family name (`family`), as `asciiFamilyHash` gives it.
    static func familyHash(ofKey family: String) -> UInt64 {
        var h = familyHashBasis
        for x in family.utf8 { mixFamilyHash(&h, x) }
        return h
    }

    private static var familyHashBasis: UInt64 { 0xCBF2_9CE4_8422_2325 }
    @inline(__always) private static func mixFamilyHash(_ h: inout UInt64, _ b: UInt8) {
        h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
    }

    private static func isASCII(_ s: String) -> Bool {
        for b in s.utf8 where b >= 0x80 { return false }
        return true
    }

    /// The reading of `init` for a name in ASCII, on its bytes (where a character is a byte).
    private static func ascii(_ person: PersonName) -> AuthorVariant? {
        var family = person.family
        var given = person.given ?? ""
        return family.withUTF8 { f in given.withUTF8 { g in ascii(family: f, given: g) } }
    }

    /// `ascii` on the UTF-8 buffers of the family and given names (in place: no array per part).
    private static func ascii(family f: UnsafeBufferPointer<UInt8>, given g: UnsafeBufferPointer<UInt8>) -> AuthorVariant? {
        func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
            var i = 0
            var j = b.count
            while i < j, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            while j > i, b[j - 1] == 0x20 || b[j - 1] == 0x09 { j -= 1 }
            return UnsafeBufferPointer(rebasing: b[i..<j])
        }
        func string<C: Collection>(_ b: C) -> String where C.Element == UInt8 { String(decoding: b, as: UTF8.self) }
        var family = trimmed(f)
        var given = trimmed(g)
        let written = given.isEmpty ? string(family) : string(family) + ", " + string(given)
        if given.isEmpty, let last = lastWordOfFullName(family) {
            given = UnsafeBufferPointer(rebasing: family[..<last])
            family = UnsafeBufferPointer(rebasing: family[last...])
        }
        var key: [UInt8] = []
        key.reserveCapacity(family.count)
        for b in family where Words.isASCIILetter(b) { key.append(b | 0x20) }
        guard !key.isEmpty else { return nil }
        // the parts of the given names (at spaces, full stops and hyphens) as their letters folded,
        // one after another in `letters`; parts without letters left out
        var letters: [UInt8] = []
        letters.reserveCapacity(given.count)
        var ends: [Int] = []
        var partStart = 0
        for b in given {
            if b == 0x20 || b == 0x2E || b == 0x2D {
                if letters.count > partStart {
                    ends.append(letters.count)
                    partStart = letters.count
                }
            } else if Words.isASCIILetter(b) {
                letters.append(b | 0x20)
            }
        }
        if letters.count > partStart { ends.append(letters.count) }
        let initials: String
        let name: String?
        if ends.isEmpty {
            initials = ""
            name = nil
        } else if ends.count >= 3, ends.count == letters.count {
            // spelled out (every part one letter): `A. S. I. F.` is Asif
            name = string(letters)
            initials = string(letters[..<1])
        } else {
            var firsts: [UInt8] = []
            var start = 0
            for e in ends {
                firsts.append(letters[start])
                start = e
            }
            initials = string(firsts)
            name = ends[0] >= 2 ? string(letters[..<ends[0]]) : nil
        }
        return AuthorVariant(family: string(key), initials: initials, name: name, written: written, familyWritten: string(family))
    }

    /// For a family name that is a whole name (`Asif Khan`: two or more words at spaces, each
    /// starting with a letter), where its last word starts; nil for any other.
    private static func lastWordOfFullName(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var words = 0
        var lastStart = 0
        var k = 0
        while k < b.count {
            while k < b.count, b[k] == 0x20 { k += 1 }
            guard k < b.count else { break }
            guard Words.isASCIILetter(b[k]) else { return nil }
            words += 1
            lastStart = k
            while k < b.count, b[k] != 0x20 { k += 1 }
        }
        return words >= 2 ? lastStart : nil
    }

    /// Whether two ways of writing a name (same family name) may be the same person: the same first
    /// initial, the same first name where both give it in full, and initials that agree as far as
    /// both go. A name written with no given name fits any.
    func compatible(with o: AuthorVariant) -> Bool {
        guard family == o.family else { return false }
        if initials.isEmpty || o.initials.isEmpty { return true }
        guard initials.first == o.initials.first else { return false }
        if let a = name, let b = o.name, a != b { return false }
        if name == nil, o.name == nil {
            for (x, y) in zip(initials, o.initials) where x != y { return false }
        }
        return true
    }
}

/// The names of one reference list, each distinct way of writing one read once: a list repeats
/// the same few names, and reading one (above all outside ASCII, where it is folded) is slow.
struct NameReadings {
    /// The distinct variants read, in the order first met.
    private(set) var variants: [AuthorVariant] = []
    private var variantIndex: [AuthorVariant: Int] = [:]
    /// Name as written -> its variant's index in `variants` (-1: it gives none).
    private var ids: [PersonName: Int] = [:]

    init(capacity: Int) {
        ids.reserveCapacity(capacity)
        variantIndex.reserveCapacity(capacity)
        variants.reserveCapacity(capacity)
    }

    /// The index in `variants` of the variant a name gives (see `AuthorVariant.init`).
    mutating func variantID(_ person: PersonName) -> Int? {
        if let known = ids[person] { return known >= 0 ? known : nil }
        var id = -1
        if let v = AuthorVariant(person) {
            if let k = variantIndex[v] {
                id = k
            } else {
                id = variants.count
                variantIndex[v] = id
                variants.append(v)
            }
        }
        ids[person] = id
        return id >= 0 ? id : nil
    }

    /// A hash of the `family` of the variant a name gives (nil when it gives none): names with the
    /// same family have the same hash (others rarely do). (`ascii`: the name's
    /// `AuthorVariant.asciiFamilyHash`.)
    mutating func familyHash(_ person: PersonName, ascii: UInt64??) -> UInt64? {
        if let ascii { return ascii }
        return variantID(person).map { AuthorVariant.familyHash(ofKey: variants[$0].family) }
    }
}

/// Finds authors who appear in an unusual share of a reference list.
///
/// Names are grouped by family name; within a family, the most frequent way of writing a name
/// gathers every other way that is compatible with all of its group's names (`Khan, A.`,
/// `KHAN, A.`, `Khan, A. S. I. F.`, `Asif Khan`) and never appears beside one of them in the same
/// entry (`Khan, A. S., Bibi, A., Khan, A.` lists two people). An author in at least `share` of a
/// list of at least `minReferences` entries (and in `minCount` or more) gets a
/// `citation-concentration` finding naming the entries.
struct ConcentrationScreen: Sendable {
    let options: ConcentrationOptions

    struct Author: Sendable {
        var display: String
        var variants: [String]
        var references: [Int]
    }

    /// Every author (person) of the list with the entries they are in, most entries first.
    /// (With `families`, only the authors of those family names: the others are left out;
    /// `asciiHashes`, when not empty, are the `AuthorVariant.asciiFamilyHash` of every name of the
    /// list in order, already worked out.)
    func authors(_ references: [Reference], families: Set<UInt64>? = nil, asciiHashes: [UInt64??] = []) -> [Author] {
        // variants and the entries each appears in (a variant read only for its family, one left
        // out, has none)
        var names = NameReadings(capacity: references.count * 2)
        var entries: [[Int]] = []  // variant -> reference indices (ascending, unique)
        var n = 0  // (the name's index in `asciiHashes`)
        for (ri, r) in references.enumerated() {
            for p in r.authors {
                n += 1
                if let families {
                    let ascii = asciiHashes.isEmpty ? AuthorVariant.asciiFamilyHash(p) : asciiHashes[n - 1]
                    if let k = names.familyHash(p, ascii: ascii), !families.contains(k) { continue }
                }
                guard let id = names.variantID(p) else { continue }
                while entries.count <= id { entries.append([]) }
                if entries[id].last != ri { entries[id].append(ri) }
            }
        }
        let variants = names.variants
        while entries.count < variants.count { entries.append([]) }
        // group by family, then gather compatible variants around the most frequent
        var byFamily: [String: [Int]] = [:]
        for (i, v) in variants.enumerated() where !entries[i].isEmpty { byFamily[v.family, default: []].append(i) }
        var grouping = AuthorGrouping(variants: variants, entries: entries, referenceCount: references.count)
        var out: [Author] = []
        for family in byFamily.keys.sorted() {
            let members = byFamily[family]!.sorted {
                entries[$0].count != entries[$1].count ? entries[$0].count > entries[$1].count : $0 < $1
            }
            for cluster in grouping.groups(members) {
                let s = variants[cluster[0]]
                let familyName = Self.displayFamily(cluster.map { variants[$0].familyWritten })
                let initial = cluster.lazy.compactMap { variants[$0].initials.first }.first.map { "\(String($0).uppercased()). " } ?? ""
                // (a person written one way, the most common, needs no merging)
                var written = [s.written]
                if cluster.count > 1 {
                    var seen: Set<String> = [s.written]
                    for v in cluster.dropFirst() where seen.insert(variants[v].written).inserted { written.append(variants[v].written) }
                }
                let refs = cluster.count == 1 ? entries[cluster[0]] : Self.union(cluster.map { entries[$0] })
                out.append(Author(display: initial + familyName, variants: written, references: refs))
            }
        }
        out.sort { $0.references.count != $1.references.count ? $0.references.count > $1.references.count : $0.display < $1.display }
        return out
    }

    /// The entries of several variants (each ascending, without repeats) in one list, ascending,
    /// without repeats.
    static func union(_ lists: [[Int]]) -> [Int] {
        var all: [Int] = []
        all.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for l in lists { all += l }
        all.sort()
        var kept = 0
        for i in all.indices where kept == 0 || all[kept - 1] != all[i] {
            all[kept] = all[i]
            kept += 1
        }
        all.removeLast(all.count - kept)
        return all
    }

    /// The family name as most often written in mixed case (`Khan` over `KHAN`).
    /// Of two written as often, the first in order.
    static func displayFamily(_ forms: [String]) -> String {
        // each form counted as a run of equal ones in order (a person has a few: cheaper than hashing)
        let ordered = forms.count > 1 ? forms.sorted() : forms
        var mixed: (form: String, count: Int)?
        var any: (form: String, count: Int)?
        var i = 0
        while i < ordered.count {
            let form = ordered[i]
            var end = i + 1
            while end < ordered.count, ordered[end] == form { end += 1 }
            let count = end - i
            if count > any?.count ?? 0 { any = (form, count) }
            if count > mixed?.count ?? 0, form != form.uppercased() { mixed = (form, count) }
            i = end
        }
        return mixed?.form ?? any?.form.capitalized ?? ""
    }

    func findings(_ document: Document) -> [Finding] {
        let n = document.references.count
        guard n >= options.minReferences else { return [] }
        // only a family name in enough entries can give an author in enough of them (counted by a
        // hash of the name: two names sharing one are counted together, so none is left out
        // wrongly). A name outside ASCII is slow to read (folded), so an entry with one counts for
        // every family; when such entries alone are enough, every name is read.
        var counts = FamilyCounts(capacity: n * 2)
        var wildcards = 0
        var hashes: [UInt64??] = []  // (each name's, kept for `authors`)
        hashes.reserveCapacity(n * 2)
        for (ri, r) in document.references.enumerated() {
            WorkCounter.add(r.authors.count)
            var wild = false
            for p in r.authors {
                let hash = AuthorVariant.asciiFamilyHash(p)
                hashes.append(hash)
                guard let ascii = hash else {
                    wild = true
                    continue
                }
                guard let k = ascii else { continue }
                counts.count(k, entry: ri)
            }
            if wild { wildcards += 1 }
        }
        func enough(_ count: Int) -> Bool { count >= options.minCount && Double(count) / Double(n) >= options.share }
        var families: Set<UInt64>? = Set<UInt64>()
        if enough(wildcards) {
            families = nil
        } else {
            counts.forEach { k, count in
                if enough(count + wildcards) { families?.insert(k) }
            }
            guard families?.isEmpty == false else { return [] }
        }
        var out: [Finding] = []
        for a in authors(document.references, families: families, asciiHashes: hashes) {
            let share = Double(a.references.count) / Double(n)
            guard a.references.count >= options.minCount, share >= options.share else { continue }
            let percent = Int((share * 100).rounded())
            var m = "\(a.display) is an author of \(a.references.count) of the \(n) references (\(percent)%)"
            if a.variants.count > 1 {
                let shown = a.variants.prefix(5).map { "'\($0)'" }
                m += " (written " + shown.dropLast().joined(separator: ", ")
                m += a.variants.count > 5 ? ", \(shown.last!) and \(a.variants.count - 5) other ways)" : " and \(shown.last!))"
            }
            m += "; \(Int((options.share * 100).rounded()))% or more of a list by one author is unusual. "
            m += "Check that each of these entries is cited for what it says, not to raise citation counts."
            out.append(Finding(kind: .citationConcentration, message: m, references: a.references,
                               score: (share * 100).rounded() / 100))
        }
        return out
    }
}

/// Family-name hashes (`AuthorVariant.asciiFamilyHash`) -> the number of entries they are in, the
/// entries counted in order: an open-addressing table, cheaper than a `Dictionary` (which would
/// hash each hash again). Slots are taken by the hash mixed with a per-process seed, so names
/// chosen to collide in one run do not in the next.
struct FamilyCounts {
    private struct Slot {
        var key: UInt64
        /// 0: an empty slot.
        var count: Int32
        /// The entry last counted.
        var last: Int32
    }
    private var slots: [Slot]
    private var used = 0
    private static let seed = UInt64.random(in: 0 ... .max)

    /// Room for `capacity` keys before growing.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, count: 0, last: 0), count: size)
    }

    @inline(__always)
    private static func start(_ key: UInt64, _ mask: Int) -> Int {
        let (high, low) = (key ^ seed).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return Int(truncatingIfNeeded: high ^ low) & mask
    }

    /// Counts `key` in entry `entry` (entries come in ascending order; each counts once per key).
    mutating func count(_ key: UInt64, entry: Int) {
        let mask = slots.count - 1
        var s = Self.start(key, mask)
        while slots[s].count != 0 {
            if slots[s].key == key {
                if slots[s].last != Int32(entry) {
                    slots[s].count += 1
                    slots[s].last = Int32(entry)
                }
                return
            }
            s = (s + 1) & mask
        }
        slots[s] = Slot(key: key, count: 1, last: Int32(entry))
        used += 1
        if used * 2 > slots.count { grow() }
    }

    /// Every key with its count, in no particular order.
    func forEach(_ body: (UInt64, Int) -> Void) {
        for e in slots where e.count != 0 { body(e.key, Int(e.count)) }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, count: 0, last: 0), count: old.count * 2)
        let mask = slots.count - 1
        for e in old where e.count != 0 {
            var s = Self.start(e.key, mask)
            while slots[s].count != 0 { s = (s + 1) & mask }
            slots[s] = e
        }
    }
}

/// Splits a family's ways of writing a name (`ConcentrationScreen.authors`) into people, greedily:
/// each variant not yet placed, most entries first, seeds a group, and every later variant not yet
/// placed joins it when compatible with each of its variants (`AuthorVariant.compatible(with:)`)
/// and beside none of them in one entry. Comparing each seed with the whole family would be
/// quadratic in its variants; instead the group's variants, compatible by pairs, tell what it still
/// accepts (`Accepts`), and the family is indexed by that (`FamilyIndex`), so a group visits, in
/// the same order, only the variants that join it or sit beside one of its names. A family of
/// a few variants (the usual case) is split without that index (`fewGroups`), whose tables cost
/// more to build than comparing its variants.
struct AuthorGrouping {
    private let variants: [AuthorVariant]
    private let entries: [[Int]]
    /// The characters of initials as numbers (see `FamilyIndex.codes`).
    private var characterCodes: [Character: Int32] = [:]
    /// Reference -> the variants of the family being split that are in it, as bits by position
    /// (see `fewGroups`; all 0 between families).
    private var inEntry: [UInt64]

    /// `entries`: variant -> the references it is in (ascending); `referenceCount`: the references.
    init(variants: [AuthorVariant], entries: [[Int]], referenceCount: Int) {
        self.variants = variants
        self.entries = entries
        inEntry = [UInt64](repeating: 0, count: referenceCount)
    }

    /// The groups of one family's variants (`members`, most entries first), each a list of
    /// variants: its seed first, then the others in the order they joined.
    mutating func groups(_ members: [Int]) -> [[Int]] {
        if members.count == 1 { return [members] }
        if members.count <= UInt64.bitWidth { return fewGroups(members) }
        var index = FamilyIndex(members.map { variants[$0] }, codes: &characterCodes)
        // entry -> the family's variants in it (by position): only these can be beside one another
        var inEntry: [Int: [Int]] = [:]
        for (position, v) in members.enumerated() {
            for r in entries[v] { inEntry[r, default: []].append(position) }
        }
        var placed = [Bool](repeating: false, count: members.count)
        // position -> the last group (by its seed) with a variant beside it (it cannot join that one)
        var besideGroup = [Int](repeating: -1, count: members.count)
        var out: [[Int]] = []
        for seed in members.indices where !placed[seed] {
            var group: [Int] = []
            var accepts = FamilyIndex.Accepts()
            // places the variant at `position` in the group; true when that narrows what it accepts
            func join(_ position: Int) -> Bool {
                placed[position] = true
                group.append(members[position])
                for r in entries[members[position]] {
                    let beside = inEntry[r]!
                    WorkCounter.add(beside.count)
                    for p in beside { besideGroup[p] = seed }
                }
                return index.narrow(&accepts, by: position)
            }
            _ = join(seed)
            // a cursor (slot) per list of variants the group accepts, each at its next one; the
            // earliest of them is the next the group takes unless it is beside one of its variants.
            // When the group accepts less, the lists change (from past the variant that narrowed it).
            var cursors = index.cursors(accepts, after: seed, placed)
            while let next = cursors.indices.min(by: { index.position(cursors[$0]) < index.position(cursors[$1]) }),
                  index.position(cursors[next]) != Int(FamilyIndex.end) {
                let at = index.position(cursors[next])
                cursors[next] = index.live(cursors[next] + 1, placed)
                WorkCounter.add(1)
                guard besideGroup[at] != seed else { continue }
                if join(at) { cursors = index.cursors(accepts, after: at, placed) }
            }
            out.append(group)
        }
        return out
    }

    /// `groups` for a family of at most 64 variants: each seed looks at every later variant not
    /// yet placed (at most 64 each), with what it is beside held as bits, and takes one compatible
    /// with each variant of its group (`AuthorVariant.compatible(with:)` itself: at most 64 of
    /// them, no summary of the group to keep in step with it).
    private mutating func fewGroups(_ members: [Int]) -> [[Int]] {
        for (position, v) in members.enumerated() {
            for r in entries[v] { inEntry[r] |= 1 << position }
        }
        // position -> the positions beside it in some entry (itself included)
        var beside = [UInt64](repeating: 0, count: members.count)
        for (position, v) in members.enumerated() {
            WorkCounter.add(entries[v].count)
            for r in entries[v] { beside[position] |= inEntry[r] }
        }
        for v in members {
            for r in entries[v] { inEntry[r] = 0 }
        }
        var placed: UInt64 = 0
        var out: [[Int]] = []
        for seed in members.indices where placed & 1 << seed == 0 {
            var group = [members[seed]]
            placed |= 1 << seed
            var besideGroup = beside[seed]
            for next in seed + 1 ..< members.count where (placed | besideGroup) & 1 << next == 0 {
                WorkCounter.add(group.count)
                let v = variants[members[next]]
                guard group.allSatisfy({ variants[$0].compatible(with: v) }) else { continue }
                group.append(members[next])
                placed |= 1 << next
                besideGroup |= beside[next]
            }
            out.append(group)
        }
        return out
    }
}

/// One family's variants, by their places in the order groups are seeded (positions), in lists
/// of those a group may accept: all; those with no initials; those with a first name by first
/// initial, and by first initial and name; those with neither in a trie of their initials (per
/// node: those with exactly its initials, and those with initials beginning with them).
struct FamilyIndex {
    /// What a group accepts, from its variants (compatible by pairs: see
    /// `AuthorVariant.compatible(with:)`): any variant with no initials; one with initials when
    /// its first initial is that of the group's variants with initials (`first`), its first name
    /// (if any) is that of those with one (`name`), and with no first name, when its initials and
    /// the longest of those with none (`longest`, a trie node: the others' are prefixes of it) are
    /// prefixes one of the other. (-1: the group has no such variant yet.)
    struct Accepts {
        var first: Int32 = -1
        var name: Int32 = -1
        var longest: Int32 = -1
    }

    /// The position in a list's last slot.
    static let end = Int32.max

    /// The lists, one after another, each ending in a slot holding `end`.
    private var slots: [Int32] = []
    /// Slot -> a later slot of its list: at first the next; for a slot of a placed variant, one
    /// with only placed variants' slots before it from there (see `live`).
    private var link: [Int32] = []
    /// The lists (their first slots): all; no initials; with a first name, by first initial and
    /// by (first initial, name).
    private var all = 0
    private var noInitials: Int?
    private var namedByFirst: [Int32: Int] = [:]
    private var namedByName: [Int64: Int] = [:]
    /// Per position: first initial (-1: no initials), first name (-1: none), trie node (-1: none).
    private var first: [Int32] = []
    private var name: [Int32] = []
    private var node: [Int32] = []
    /// Trie of the initials of the variants with initials and no first name: (parent + 1, initial)
    /// -> node, and per node its parent, its depth and its two lists.
    private var child: [Int64: Int32] = [:]
    private var parent: [Int32] = []
    private var depth: [Int32] = []
    private var exact: [Int] = []
    private var below: [Int] = []

    init(_ family: [AuthorVariant], codes: inout [Character: Int32]) {
        var noInitials: [Int32] = []
        var namedByFirst: [Int32: [Int32]] = [:]
        var namedByName: [Int64: [Int32]] = [:]
        var nameIDs: [String: Int32] = [:]
        var exactItems: [[Int32]] = []
        var belowItems: [[Int32]] = []
        for (i, v) in family.enumerated() {
            let position = Int32(i)
            let initials = Self.codes(v.initials, &codes)
            guard let f = initials.first else {
                noInitials.append(position)
                first.append(-1)
                name.append(-1)
                node.append(-1)
                continue
            }
            first.append(f)
            if let n = v.name {
                let id = nameIDs[n] ?? Int32(nameIDs.count)
                nameIDs[n] = id
                namedByFirst[f, default: []].append(position)
                namedByName[Self.key(f, id), default: []].append(position)
                name.append(id)
                node.append(-1)
            } else {
                var at: Int32 = -1
                for c in initials {
                    if let known = child[Self.key(at + 1, c)] {
                        at = known
                    } else {
                        let made = Int32(parent.count)
                        child[Self.key(at + 1, c)] = made
                        depth.append(at < 0 ? 1 : depth[Int(at)] + 1)
                        parent.append(at)
                        exactItems.append([])
                        belowItems.append([])
                        at = made
                    }
                    belowItems[Int(at)].append(position)
                }
                exactItems[Int(at)].append(position)
                name.append(-1)
                node.append(at)
            }
        }
        all = place(Array(0..<Int32(family.count)))
        if !noInitials.isEmpty { self.noInitials = place(noInitials) }
        for (f, l) in namedByFirst { self.namedByFirst[f] = place(l) }
        for (k, l) in namedByName { self.namedByName[k] = place(l) }
        exact = exactItems.map { place($0) }
        below = belowItems.map { place($0) }
        link = (0..<Int32(slots.count)).map { $0 + 1 }
    }

    /// Appends a list to `slots`; its first slot.
    private mutating func place(_ positions: [Int32]) -> Int {
        let start = slots.count
        slots += positions
        slots.append(Self.end)
        return start
    }

    private static func key(_ a: Int32, _ b: Int32) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: b)) }

    /// The characters of `s` as numbers, the same where the characters are equal (`Character`'s
    /// `==`): an ASCII character is its byte, another the number `codes` gives it (from 128 on;
    /// `codes` starts with the ASCII characters, as one outside ASCII may equal one of them).
    static func codes(_ s: String, _ codes: inout [Character: Int32]) -> [Int32] {
        if s.utf8.allSatisfy(Words.isASCIILetter) { return s.utf8.map { Int32($0) } }
        if codes.isEmpty {
            for b in 0..<Int32(128) { codes[Character(Unicode.Scalar(UInt8(b)))] = b }
        }
        return s.map { c in
            if let known = codes[c] { return known }
            let made = Int32(codes.count)
            codes[c] = made
            return made
        }
    }

    /// The position a slot holds (`end` for a list's last).
    func position(_ slot: Int) -> Int { Int(slots[slot]) }

    /// The first slot from `slot` on holding a position not `placed` (or a list's last): a placed
    /// variant stays placed, so the slots passed are linked past for the next look.
    mutating func live(_ slot: Int, _ placed: [Bool]) -> Int {
        var k = slot
        while slots[k] != Self.end, placed[Int(slots[k])] {
            WorkCounter.add(1)
            k = Int(link[k])
        }
        var i = slot
        while i != k {
            let n = Int(link[i])
            link[i] = Int32(k)
            i = n
        }
        return k
    }

    /// A cursor (slot) per list of the variants a group accepts, at the first after `position`
    /// not `placed`.
    mutating func cursors(_ a: Accepts, after position: Int, _ placed: [Bool]) -> [Int] {
        var lists: [Int] = []
        if a.first < 0 {
            lists = [all]
        } else {
            if let e = noInitials { lists.append(e) }
            if a.name < 0 {
                if let l = namedByFirst[a.first] { lists.append(l) }
            } else if let l = namedByName[Self.key(a.first, a.name)] {
                lists.append(l)
            }
            if a.longest < 0 {
                if let r = child[Self.key(0, a.first)] { lists.append(below[Int(r)]) }
            } else {
                lists.append(below[Int(a.longest)])
                var n = parent[Int(a.longest)]
                while n >= 0 {
                    lists.append(exact[Int(n)])
                    n = parent[Int(n)]
                }
            }
        }
        return lists.map { start in
            var k = live(start, placed)
            while Int(slots[k]) <= position {
                WorkCounter.add(1)
                k = live(k + 1, placed)
            }
            return k
        }
    }

    /// Narrows what a group accepts by its new variant at `position`; whether it changed.
    func narrow(_ a: inout Accepts, by position: Int) -> Bool {
        guard first[position] >= 0 else { return false }
        var changed = false
        if a.first < 0 {
            a.first = first[position]
            changed = true
        }
        if name[position] >= 0 {
            if a.name < 0 {
                a.name = name[position]
                changed = true
            }
        } else if a.longest < 0 || depth[Int(node[position])] > depth[Int(a.longest)] {
            a.longest = node[position]
            changed = true
        }
        return changed
    }
}
