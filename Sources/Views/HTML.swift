// HTML escaping for everything taken from a document. Escapes & < > " ' so the same function is safe
// in text and in double- or single-quoted attribute values.

public enum HTML {
    /// `s` with & < > " ' replaced by character references; NUL becomes U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        append(s.unicodeScalars, to: &out)
        return String(out)
    }

    static func append<S: Sequence>(_ scalars: S, to out: inout String.UnicodeScalarView) where S.Element == Unicode.Scalar {
        for u in scalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\u{0}": out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
    }

    /// A string made safe for an id or a class name: ASCII letters and digits kept, everything else
    /// (including '-' and '_') written as `_xx` hex, so a '-' can separate the parts of an id.
    public static func token(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "_" + String(b, radix: 16, uppercase: false).leftPadded(2)
            }
        }
        return out.isEmpty ? "_" : out
    }

    /// JSON text made safe inside an inline `<script>`: `<`, `>`, `&`, U+2028 and U+2029 as \uXXXX
    /// (the views embed no document data in scripts; this is for any that would).
    public static func scriptSafeJSON(_ json: String) -> String {
        var out = ""
        for u in json.unicodeScalars {
            switch u {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int, with c: Character = "0") -> String {
        count >= width ? self : String(repeating: c, count: width - count) + self
    }
}

/// Groups digits by thousands: 40213 -> "40,213".
func grouped(_ n: Int) -> String {
    let s = String(abs(n))
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// Shortens to `max` characters with an ellipsis, on one line.
func clip(_ s: String, _ max: Int) -> String {
    var one = ""
    var lastSpace = false
    for c in s {
        if c.isWhitespace {
            if !lastSpace { one.append(" ") }
            lastSpace = true
        } else {
            one.append(c)
            lastSpace = false
        }
    }
    one = one.trimmed(" ")
    return one.count <= max ? one : String(one.prefix(max - 1)) + "…"
}

extension String {
    func trimmed(_ set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
