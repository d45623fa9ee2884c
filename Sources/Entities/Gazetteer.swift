// Gazetteer entries as read from `pipelines/gazetteers/*.yaml` (see the README there).

import AssayCore
import Foundation

/// A dated fact about an entry, with where it was read. `value` is ISO-like ("1979-12-18",
/// "1979-12", "1979") or "none" (the event did not happen: Pakistan took no action).
struct GazetteerFact: Sendable, Equatable {
    var name: String
    var value: String
    var source: String
    /// Values other public sources give (common misquotes): repeating one is not an error.
    var alsoSeen: [String]
    var note: String?
    /// `ratification`, `accession`, ...: how the event is worded.
    var mode: String?
    /// False for facts kept for the reader but not checked (no source verified them).
    var verified: Bool
}

/// What a gazetteer entry names. `term` entries are not entities: they list acronyms that need no
/// definition in a document ("NGO", "UN").
enum EntryType: Sendable, Equatable {
    case entity(Entity.Kind)
    case term
}

struct GazetteerEntry: Sendable {
    var key: String
    var type: EntryType
    var label: String
    /// Case- and diacritic-insensitive names.
    var aliases: [String]
    /// Case-sensitive names ("The Awakening", "Blue Veins").
    var exactAliases: [String]
    /// Case-sensitive acronyms.
    var acronyms: [String]
    var facts: [GazetteerFact]
    /// Keys or words whose presence near a mention favours this entry when a name is shared.
    var cues: [String]
    /// Chosen when a shared name cannot be told apart by context: for all its shared names
    /// (`preferred: true`) or for the names listed (`preferred: [CCPR]`).
    var preferred: Bool
    var preferredNames: [String]
    /// For protocols: the treaty they belong to, and their ordinal (1 = first).
    var parent: String?
    var ordinal: Int?
    /// For provisions: the instrument and the number ("295-C").
    var instrument: String?
    var number: String?
    /// Laws that amend this one: a year in a mention that is one of theirs is not a contradiction.
    var amendedBy: [String]
    /// The file the entry came from (for messages).
    var file: String

    var kind: Entity.Kind? {
        if case .entity(let k) = type { return k }
        return nil
    }

    func fact(_ name: String) -> GazetteerFact? { facts.first { $0.name == name } }
}

struct GazetteerError: Error, CustomStringConvertible {
    var file: String
    var message: String
    var description: String { "\(file): \(message)" }
}

enum GazetteerLoader {

    /// Reads one gazetteer file. Returns the entries and whether the Yams fallback was needed.
    static func load(_ url: URL) throws -> (entries: [GazetteerEntry], usedYams: Bool) {
        let name = url.lastPathComponent
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GazetteerError(file: url.path, message: "cannot read the file")
        }
        let parsed: (value: YAMLValue, usedYams: Bool)
        do {
            parsed = try YAMLReader.parse([UInt8](data))
        } catch let e as YAMLSyntaxError {
            throw GazetteerError(file: name, message: "YAML: \(e)")
        }
        return (try entries(from: parsed.value, file: name), parsed.usedYams)
    }

    static func entries(from root: YAMLValue, file: String) throws -> [GazetteerEntry] {
        let list: [YAMLValue]
        switch root {
        case .list(let l): list = l
        case .map:
            guard case .list(let l)? = root["entries"] else {
                throw GazetteerError(file: file, message: "expected a list of entries (or a mapping with 'entries:')")
            }
            list = l
        case .null: list = []
        case .scalar: throw GazetteerError(file: file, message: "expected a list of entries")
        }
        var out: [GazetteerEntry] = []
        out.reserveCapacity(list.count)
        for (n, item) in list.enumerated() {
            out.append(try entry(item, index: n, file: file))
        }
        return out
    }

    private static func strings(_ v: YAMLValue?, _ what: String, _ whereText: () -> String, file: String) throws -> [String] {
        guard let v else { return [] }
        switch v {
        case .null: return []
        case .scalar(let s): return [s]
        case .list(let items):
            return try items.map {
                guard case .scalar(let s) = $0 else {
                    throw GazetteerError(file: file, message: "\(whereText()): '\(what)' must be a list of text")
                }
                return s
            }
        case .map: throw GazetteerError(file: file, message: "\(whereText()): '\(what)' must be a list of text")
        }
    }

    static func entry(_ item: YAMLValue, index: Int, file: String) throws -> GazetteerEntry {
        guard case .map(let pairs) = item else {
            throw GazetteerError(file: file, message: "entry \(index + 1): expected a mapping")
        }
        // One pass over the fields.
        var key = "", typeName: String?, label: String?
        var aliasesV: YAMLValue?, exactV: YAMLValue?, acronymsV: YAMLValue?, cuesV: YAMLValue?, amendedV: YAMLValue?
        var preferredV: YAMLValue?, factsV: YAMLValue?
        var parent: String?, ordinalText: String?, instrument: String?, number: String?
        var unknown: String?
        for (k, v) in pairs {
            switch k {
            case "key": key = v.string ?? ""
            case "type": typeName = v.string
            case "label": label = v.string
            case "aliases": aliasesV = v
            case "exactAliases": exactV = v
            case "acronyms": acronymsV = v
            case "facts": factsV = v
            case "cues": cuesV = v
            case "preferred": preferredV = v
            case "parent": parent = v.string
            case "ordinal": ordinalText = v.string
            case "instrument": instrument = v.string
            case "number": number = v.string
            case "amendedBy": amendedV = v
            case "note", "notes", "description": break
            default: if unknown == nil { unknown = k }
            }
        }
        let whereText = { key.isEmpty ? "entry \(index + 1)" : "entry '\(key)'" }
        if let unknown { throw GazetteerError(file: file, message: "\(whereText()): unknown field '\(unknown)'") }
        guard !key.isEmpty else { throw GazetteerError(file: file, message: "\(whereText()): missing 'key'") }
        for u in key.utf8 where !(CharClass.isLower(u) || CharClass.isDigit(u) || u == 0x2D || u == 0x2F || u == 0x2E || u == 0x5F) {
            throw GazetteerError(file: file, message: "\(whereText()): a key is lower-case letters, digits and - / . _")
        }
        guard let typeName else {
            throw GazetteerError(file: file, message: "\(whereText()): missing 'type'")
        }
        let type: EntryType
        if typeName == "term" {
            type = .term
        } else if let k = Entity.Kind(rawValue: typeName) {
            type = .entity(k)
        } else {
            throw GazetteerError(file: file, message: "\(whereText()): unknown type '\(typeName)' (one of \(Entity.Kind.allCases.map(\.rawValue).joined(separator: ", ")), term)")
        }
        guard let label, !label.isEmpty else {
            throw GazetteerError(file: file, message: "\(whereText()): missing 'label'")
        }
        var facts: [GazetteerFact] = []
        if let f = factsV {
            guard case .map(let fpairs) = f else {
                throw GazetteerError(file: file, message: "\(whereText()): 'facts' must be a mapping of name: {value, source}")
            }
            for (name, fv) in fpairs {
                facts.append(try fact(name, fv, whereText, file: file))
            }
        }
        var ordinal: Int?
        if let o = ordinalText {
            guard let i = Int(o) else { throw GazetteerError(file: file, message: "\(whereText()): 'ordinal' must be a number") }
            ordinal = i
        }
        let aliases = try strings(aliasesV, "aliases", whereText, file: file)
        let exact = try strings(exactV, "exactAliases", whereText, file: file)
        let acronyms = try strings(acronymsV, "acronyms", whereText, file: file)
        for list in [aliases, exact, acronyms] {
            for a in list where !hasLetter(a) {
                throw GazetteerError(file: file, message: "\(whereText()): the name '\(a)' has no letter (a comma inside a [flow, list]? quote the name)")
            }
        }
        let preferredAll = preferredV?.string == "true"
        return GazetteerEntry(
            key: key, type: type, label: label,
            aliases: aliases, exactAliases: exact, acronyms: acronyms,
            facts: facts,
            cues: try strings(cuesV, "cues", whereText, file: file),
            preferred: preferredAll,
            preferredNames: preferredV?.string == nil ? try strings(preferredV, "preferred", whereText, file: file) : [],
            parent: parent,
            ordinal: ordinal,
            instrument: instrument,
            number: number,
            amendedBy: try strings(amendedV, "amendedBy", whereText, file: file),
            file: file)
    }

    private static func hasLetter(_ s: String) -> Bool {
        s.utf8.contains { CharClass.isUpper($0) || CharClass.isLower($0) || $0 >= 0xC0 }
    }

    private static func fact(_ name: String, _ fv: YAMLValue, _ whereText: @escaping () -> String, file: String) throws -> GazetteerFact {
        let fw = { "\(whereText()), fact '\(name)'" }
        var value: String?
        var source: String?
        var alsoSeen: [String] = []
        var note: String?
        var mode: String?
        var verified = true
        switch fv {
        case .scalar(let s): value = s
        case .map(let fp):
            for (k, v) in fp {
                switch k {
                case "value": value = v.string
                case "source": source = v.string
                case "alsoSeen": alsoSeen = try strings(v, "alsoSeen", fw, file: file)
                case "note": note = v.string
                case "mode": mode = v.string
                case "verified": verified = v.string != "false"
                default: throw GazetteerError(file: file, message: "\(fw()): unknown field '\(k)'")
                }
            }
        default:
            throw GazetteerError(file: file, message: "\(fw()): expected {value, source}")
        }
        guard let value, FactDate(value) != nil || value == "none" else {
            throw GazetteerError(file: file, message: "\(fw()): 'value' must be a date (YYYY, YYYY-MM, YYYY-MM-DD) or 'none'")
        }
        for v in alsoSeen where FactDate(v) == nil && v != "none" {
            throw GazetteerError(file: file, message: "\(fw()): 'alsoSeen' value '\(v)' is not a date")
        }
        guard let source, !source.isEmpty else {
            throw GazetteerError(file: file, message: "\(fw()): every fact needs its 'source'")
        }
        return GazetteerFact(name: name, value: value, source: source, alsoSeen: alsoSeen,
                             note: note, mode: mode, verified: verified)
    }
}

/// A date at the precision it was written: year, year-month or year-month-day; or month-day only.
struct FactDate: Sendable, Equatable, CustomStringConvertible {
    var year: Int?
    var month: Int?
    var day: Int?

    init(year: Int?, month: Int?, day: Int?) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "1979", "1979-12", "1979-12-18", "--12-18".
    init?(_ s: String) {
        // ASCII text (what the stage writes and the gazetteers hold): parsed in place.
        var bytes = s
        if let parsed = bytes.withUTF8({ FactDate.parseASCII($0) }) {
            guard let d = parsed else { return nil }
            self = d
            return
        }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        if s.hasPrefix("--") {
            guard parts.count == 4, let m = Int(parts[2]), let d = Int(parts[3]), (1...12).contains(m), (1...31).contains(d) else { return nil }
            year = nil; month = m; day = d
            return
        }
        guard (1...3).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]) else { return nil }
        year = y
        if parts.count >= 2 {
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            month = m
        }
        if parts.count == 3 {
            guard parts[2].count == 2, let d = Int(parts[2]), (1...31).contains(d) else { return nil }
            day = d
        }
    }

    /// The parse of ASCII text exactly as `init?(_:)` does it (split at "-", `Int` of each part);
    /// nil (outer) when the text is not ASCII.
    private static func parseASCII(_ u: UnsafeBufferPointer<UInt8>) -> FactDate?? {
        var dashes = 0
        var cut = (0, 0, 0, 0)  // positions of the first four dashes
        for (k, c) in u.enumerated() {
            if c >= 0x80 { return .none }
            if c == 0x2D {
                switch dashes {
                case 0: cut.0 = k
                case 1: cut.1 = k
                case 2: cut.2 = k
                case 3: cut.3 = k
                default: break
                }
                dashes += 1
            }
        }
        let n = u.count
        func part(_ i: Int) -> (Int, Int) {
            let start: Int, end: Int
            switch i {
            case 0: start = 0; end = cut.0
            case 1: start = cut.0 + 1; end = cut.1
            case 2: start = cut.1 + 1; end = cut.2
            default: start = cut.2 + 1; end = cut.3
            }
            return (start, i < dashes ? end : n)
        }
        /// `Int(String)`: an optional sign, then one or more digits, no overflow.
        func int(_ r: (Int, Int)) -> Int? {
            var k = r.0
            var negative = false
            if k < r.1 && (u[k] == 0x2B || u[k] == 0x2D) { negative = u[k] == 0x2D; k += 1 }
            guard k < r.1 else { return nil }
            var v = 0
            while k < r.1 {
                let c = u[k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = negative ? m.subtractingReportingOverflow(Int(c - 0x30)) : m.addingReportingOverflow(Int(c - 0x30))
                if o1 || o2 { return nil }
                v = a
                k += 1
            }
            return v
        }
        if n >= 2 && u[0] == 0x2D && u[1] == 0x2D {
            guard dashes == 3, let m = int(part(2)), let d = int(part(3)), (1...12).contains(m), (1...31).contains(d) else { return .some(nil) }
            return .some(FactDate(year: nil, month: m, day: d))
        }
        let parts = dashes + 1
        guard (1...3).contains(parts) else { return .some(nil) }
        let p0 = part(0)
        guard p0.1 - p0.0 == 4, let y = int(p0) else { return .some(nil) }
        var date = FactDate(year: y, month: nil, day: nil)
        if parts >= 2 {
            let p1 = part(1)
            guard p1.1 - p1.0 == 2, let m = int(p1), (1...12).contains(m) else { return .some(nil) }
            date.month = m
        }
        if parts == 3 {
            let p2 = part(2)
            guard p2.1 - p2.0 == 2, let d = int(p2), (1...31).contains(d) else { return .some(nil) }
            date.day = d
        }
        return .some(date)
    }

    var iso: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        guard let year else { return "--\(two(month ?? 1))-\(two(day ?? 1))" }
        var s = String(year)
        if let month { s += "-" + two(month) }
        if let day, month != nil { s += "-" + two(day) }
        return s
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// "18 December 1979", "December 1979", "1979".
    var description: String {
        var parts: [String] = []
        if let day, month != nil { parts.append(String(day)) }
        if let month { parts.append(FactDate.monthNames[month - 1]) }
        if let year { parts.append(String(year)) }
        return parts.joined(separator: " ")
    }

    /// True when `self` (as stated, maybe less precise) agrees with `known` at `self`'s precision.
    func agrees(with known: FactDate) -> Bool {
        if let y = year, y != known.year { return false }
        if let m = month {
            guard let km = known.month else { return true }   // known is less precise: cannot contradict
            if m != km { return false }
        }
        if let d = day {
            guard let kd = known.day else { return true }
            if d != kd { return false }
        }
        return true
    }
}
