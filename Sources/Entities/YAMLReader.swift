// Reads gazetteer YAML files.
//
// Yams (libyaml) builds a node tree at about 4 MB/s here: a 100,000-entry gazetteer (17 MB) took
// 4.3 s in a release build. Gazetteers use a small, regular part of YAML, so a byte-level reader
// handles that part (block mappings and sequences, `- key: value` items, flow `[...]` and `{...}`
// on one line, plain / 'single' / "double" quoted scalars, comments) and hands any file that uses
// anything else (anchors, tags, block scalars `|` `>`, multi-line flow or plain scalars) to Yams.
// Both produce the same `YAMLValue`; a test checks they agree on the shipped gazetteers.

import Foundation
import Yams

enum YAMLValue: Sendable, Equatable {
    case scalar(String)
    case list([YAMLValue])
    case map([(String, YAMLValue)])
    case null

    static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.null, .null): return true
        case (.map(let x), .map(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    subscript(key: String) -> YAMLValue? {
        if case .map(let pairs) = self {
            for (k, v) in pairs where k == key { return v }
        }
        return nil
    }

    var string: String? {
        if case .scalar(let s) = self { return s }
        return nil
    }
}

struct YAMLUnsupported: Error {
    var line: Int
    var reason: String
}

struct YAMLSyntaxError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "line \(line): \(message)" }
}

enum YAMLReader {
    /// Parses `bytes`: the fast reader, or Yams for what it does not cover.
    static func parse(_ bytes: [UInt8]) throws -> (value: YAMLValue, usedYams: Bool) {
        do {
            var reader = FastYAML(bytes)
            return (try reader.parseDocument(), false)
        } catch is YAMLUnsupported {
            return (try parseWithYams(bytes), true)
        }
    }

    static func parseWithYams(_ bytes: [UInt8]) throws -> YAMLValue {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            guard let node = try Yams.compose(yaml: text) else { return .null }
            return convert(node)
        } catch let e as YamlError {
            throw YAMLSyntaxError(line: yamsLine(e), message: "\(e)")
        }
    }

    private static func yamsLine(_ e: YamlError) -> Int {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 0
        }
    }

    private static func convert(_ node: Node) -> YAMLValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain && (s.string == "~" || s.string == "null" || s.string.isEmpty) { return .null }
            return .scalar(s.string)
        case .sequence(let seq):
            return .list(seq.map(convert))
        case .mapping(let m):
            return .map(m.map { (k, v) in (k.string ?? "", convert(v)) })
        case .alias:
            return .null
        }
    }
}

/// The byte-level reader for the gazetteer subset of YAML.
private struct FastYAML {
    struct Line {
        var number: Int      // 1-based
        var indent: Int
        var start: Int       // content start (after indent)
        var end: Int         // content end (comment and trailing spaces removed)
    }

    let b: [UInt8]
    var lines: [Line] = []
    var pos = 0

    init(_ bytes: [UInt8]) {
        b = bytes
    }

    mutating func parseDocument() throws -> YAMLValue {
        try splitLines()
        if lines.isEmpty { return .null }
        let v = try parseBlock(indent: lines[0].indent)
        if pos < lines.count {
            throw YAMLUnsupported(line: lines[pos].number, reason: "content after the top-level node")
        }
        return v
    }

    private mutating func splitLines() throws {
        var i = 0
        var number = 0
        let n = b.count
        if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
        while i < n {
            number += 1
            let ls = i
            while i < n && b[i] != 0x0A { i += 1 }
            var le = i
            i += 1
            if le > ls && b[le - 1] == 0x0D { le -= 1 }
            var k = ls
            while k < le && b[k] == 0x20 { k += 1 }
            if k < le && b[k] == 0x09 { throw YAMLUnsupported(line: number, reason: "tab in indentation") }
            if k == le || b[k] == 0x23 { continue }  // blank or comment
            // Directives and document markers.
            if k == ls && le - k >= 3 && ((b[k] == 0x2D && b[k + 1] == 0x2D && b[k + 2] == 0x2D)
                                            || (b[k] == 0x2E && b[k + 1] == 0x2E && b[k + 2] == 0x2E)) {
                if le - k == 3 { continue }
                throw YAMLUnsupported(line: number, reason: "document marker with content")
            }
            if b[k] == 0x25 { throw YAMLUnsupported(line: number, reason: "directive") }
            // Strip a comment: '#' after a space, outside quotes.
            var e = k
            var quote: UInt8 = 0
            var j = k
            while j < le {
                let c = b[j]
                if quote != 0 {
                    if c == quote {
                        if quote == 0x27 && j + 1 < le && b[j + 1] == 0x27 { j += 2; continue }
                        quote = 0
                    } else if quote == 0x22 && c == 0x5C { j += 2; continue }
                } else if c == 0x22 || c == 0x27 {
                    if j == k || b[j - 1] == 0x20 || b[j - 1] == 0x5B || b[j - 1] == 0x7B || b[j - 1] == 0x2C || b[j - 1] == 0x3A || b[j - 1] == 0x2D {
                        quote = c
                    }
                } else if c == 0x23 && b[j - 1] == 0x20 {
                    break
                }
                j += 1
            }
            e = j
            while e > k && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
            lines.append(Line(number: number, indent: k - ls, start: k, end: e))
        }
    }

    private func isSeqItem(_ l: Line) -> Bool {
        b[l.start] == 0x2D && (l.end == l.start + 1 || b[l.start + 1] == 0x20)
    }

    private mutating func parseBlock(indent: Int) throws -> YAMLValue {
        let l = lines[pos]
        if isSeqItem(l) { return try parseSequence(indent: l.indent) }
        return try parseMapping(indent: l.indent, firstStart: nil)
    }

    private mutating func parseSequence(indent: Int) throws -> YAMLValue {
        var items: [YAMLValue] = []
        while pos < lines.count {
            let l = lines[pos]
            if l.indent < indent { break }
            if l.indent > indent { throw YAMLUnsupported(line: l.number, reason: "unexpected indentation") }
            guard isSeqItem(l) else { break }
            var cs = l.start + 1
            while cs < l.end && b[cs] == 0x20 { cs += 1 }
            if cs == l.end {
                pos += 1
                if pos < lines.count && lines[pos].indent > indent {
                    items.append(try parseBlock(indent: lines[pos].indent))
                } else {
                    items.append(.null)
                }
                continue
            }
            if let _ = keyEnd(cs, l.end) {
                // "- key: value" starts a mapping whose lines are indented to `cs`.
                items.append(try parseMapping(indent: cs - (l.start - l.indent), firstStart: cs))
            } else {
                items.append(try parseInlineValue(cs, l.end, line: l.number))
                pos += 1
                if pos < lines.count && lines[pos].indent > indent {
                    throw YAMLUnsupported(line: lines[pos].number, reason: "multi-line scalar")
                }
            }
        }
        return .list(items)
    }

    /// The end of a mapping key starting at `s` (index of the ':'), or nil when the content is not "key: ...".
    private func keyEnd(_ s: Int, _ e: Int) -> Int? {
        let c = b[s]
        if c == 0x22 || c == 0x27 {
            // Quoted key.
            var j = s + 1
            while j < e {
                if b[j] == c {
                    if c == 0x27 && j + 1 < e && b[j + 1] == 0x27 { j += 2; continue }
                    break
                }
                if c == 0x22 && b[j] == 0x5C { j += 1 }
                j += 1
            }
            var k = j + 1
            while k < e && b[k] == 0x20 { k += 1 }
            if k < e && b[k] == 0x3A && (k + 1 == e || b[k + 1] == 0x20) { return k }
            return nil
        }
        if c == 0x5B || c == 0x7B || c == 0x2D && (s + 1 == e || b[s + 1] == 0x20) { return nil }
        var j = s
        while j < e {
            if b[j] == 0x3A && (j + 1 == e || b[j + 1] == 0x20) { return j }
            j += 1
        }
        return nil
    }

    private mutating func parseMapping(indent: Int, firstStart: Int?) throws -> YAMLValue {
        var pairs: [(String, YAMLValue)] = []
        var first = firstStart
        while pos < lines.count {
            let l = lines[pos]
            let start: Int
            if let f = first {
                start = f
                first = nil
            } else {
                if l.indent < indent { break }
                if l.indent > indent { throw YAMLUnsupported(line: l.number, reason: "unexpected indentation") }
                if isSeqItem(l) { break }
                start = l.start
            }
            guard let ke = keyEnd(start, l.end) else {
                throw YAMLUnsupported(line: l.number, reason: "expected 'key: value'")
            }
            let key = try scalarText(start, trimEnd(start, ke), line: l.number)
            if b[start] == 0x3F || b[start] == 0x26 || b[start] == 0x2A || b[start] == 0x21 {
                throw YAMLUnsupported(line: l.number, reason: "complex key")
            }
            var vs = ke + 1
            while vs < l.end && b[vs] == 0x20 { vs += 1 }
            pos += 1
            if vs == l.end {
                if pos < lines.count && (lines[pos].indent > indent || (lines[pos].indent == indent && isSeqItem(lines[pos]))) {
                    pairs.append((key, try parseBlock(indent: lines[pos].indent)))
                } else {
                    pairs.append((key, .null))
                }
            } else {
                pairs.append((key, try parseInlineValue(vs, l.end, line: l.number)))
                if pos < lines.count && lines[pos].indent > indent {
                    throw YAMLUnsupported(line: lines[pos].number, reason: "multi-line scalar")
                }
            }
        }
        return .map(pairs)
    }

    private func trimEnd(_ s: Int, _ e: Int) -> Int {
        var e = e
        while e > s && b[e - 1] == 0x20 { e -= 1 }
        return e
    }

    private func parseInlineValue(_ s: Int, _ e: Int, line: Int) throws -> YAMLValue {
        let c = b[s]
        if c == 0x7C || c == 0x3E || c == 0x26 || c == 0x2A || c == 0x21 || c == 0x3F || c == 0x40 || c == 0x60 {
            throw YAMLUnsupported(line: line, reason: "block scalar, anchor, alias or tag")
        }
        if c == 0x5B || c == 0x7B {
            var i = s
            let v = try parseFlow(&i, e, line: line)
            while i < e && b[i] == 0x20 { i += 1 }
            if i != e { throw YAMLUnsupported(line: line, reason: "text after a flow collection") }
            return v
        }
        if c == 0x22 || c == 0x27 {
            var i = s
            let str = try quoted(&i, e, line: line)
            while i < e && b[i] == 0x20 { i += 1 }
            if i != e { throw YAMLUnsupported(line: line, reason: "text after a quoted scalar") }
            return .scalar(str)
        }
        let text = String(decoding: b[s..<e], as: UTF8.self)
        if text == "~" || text == "null" { return .null }
        return .scalar(text)
    }

    private func scalarText(_ s: Int, _ e: Int, line: Int) throws -> String {
        if s < e && (b[s] == 0x22 || b[s] == 0x27) {
            var i = s
            return try quoted(&i, e, line: line)
        }
        return String(decoding: b[s..<e], as: UTF8.self)
    }

    private func parseFlow(_ i: inout Int, _ e: Int, line: Int) throws -> YAMLValue {
        let open = b[i]
        let close: UInt8 = open == 0x5B ? 0x5D : 0x7D
        i += 1
        var items: [YAMLValue] = []
        var pairs: [(String, YAMLValue)] = []
        while true {
            while i < e && b[i] == 0x20 { i += 1 }
            if i >= e { throw YAMLUnsupported(line: line, reason: "flow collection over several lines") }
            if b[i] == close { i += 1; break }
            if open == 0x7B {
                // key
                let key: String
                if b[i] == 0x22 || b[i] == 0x27 {
                    key = try quoted(&i, e, line: line)
                } else {
                    let ks = i
                    while i < e && b[i] != 0x3A && b[i] != 0x2C && b[i] != close { i += 1 }
                    key = String(decoding: b[ks..<trimEnd(ks, i)], as: UTF8.self)
                }
                while i < e && b[i] == 0x20 { i += 1 }
                guard i < e && b[i] == 0x3A else { throw YAMLUnsupported(line: line, reason: "flow mapping without ':'") }
                i += 1
                while i < e && b[i] == 0x20 { i += 1 }
                let v = try flowItem(&i, e, close: close, line: line)
                pairs.append((key, v))
            } else {
                items.append(try flowItem(&i, e, close: close, line: line))
            }
            while i < e && b[i] == 0x20 { i += 1 }
            if i < e && b[i] == 0x2C { i += 1; continue }
            if i < e && b[i] == close { i += 1; break }
            throw YAMLUnsupported(line: line, reason: "flow collection syntax")
        }
        return open == 0x5B ? .list(items) : .map(pairs)
    }

    private func flowItem(_ i: inout Int, _ e: Int, close: UInt8, line: Int) throws -> YAMLValue {
        if i >= e { throw YAMLUnsupported(line: line, reason: "flow collection over several lines") }
        let c = b[i]
        if c == 0x5B || c == 0x7B { return try parseFlow(&i, e, line: line) }
        if c == 0x22 || c == 0x27 { return .scalar(try quoted(&i, e, line: line)) }
        if c == 0x26 || c == 0x2A || c == 0x21 || c == 0x7C || c == 0x3E { throw YAMLUnsupported(line: line, reason: "anchor, alias or tag") }
        let s = i
        while i < e && b[i] != 0x2C && b[i] != close {
            if b[i] == 0x3A && i + 1 < e && b[i + 1] == 0x20 && close == 0x5D {
                throw YAMLUnsupported(line: line, reason: "mapping inside a flow sequence")
            }
            i += 1
        }
        let text = String(decoding: b[s..<trimEnd(s, i)], as: UTF8.self)
        if text.isEmpty || text == "~" || text == "null" { return .null }
        return .scalar(text)
    }

    private func quoted(_ i: inout Int, _ e: Int, line: Int) throws -> String {
        let q = b[i]
        i += 1
        var out: [UInt8] = []
        while true {
            if i >= e { throw YAMLUnsupported(line: line, reason: "quoted scalar over several lines") }
            let c = b[i]
            if c == q {
                if q == 0x27 && i + 1 < e && b[i + 1] == 0x27 { out.append(0x27); i += 2; continue }
                i += 1
                break
            }
            if q == 0x22 && c == 0x5C {
                guard i + 1 < e else { throw YAMLUnsupported(line: line, reason: "escape at line end") }
                let x = b[i + 1]
                i += 2
                switch x {
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x2F: out.append(0x2F)
                case 0x20: out.append(0x20)
                case 0x75:
                    guard i + 4 <= e, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16),
                          let sc = Unicode.Scalar(v) else {
                        throw YAMLUnsupported(line: line, reason: "escape")
                    }
                    out.append(contentsOf: Array(String(Character(sc)).utf8))
                    i += 4
                default:
                    throw YAMLUnsupported(line: line, reason: "escape")
                }
                continue
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
