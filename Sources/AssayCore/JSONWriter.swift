/// A small JSON writer into bytes. Keys come out in the order they are written, numbers in one
/// fixed format, so the same record is the same bytes on every machine and thread count.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separator()
        appendQuoted(Array(k.utf8)[...])
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ s: String) {
        separator()
        var s = s
        s.withUTF8 { appendQuoted($0[...]) }
    }

    public mutating func string<C: Collection>(utf8 s: C) where C.Element == UInt8 {
        separator()
        appendQuoted(s)
    }

    public mutating func int(_ i: Int) {
        separator()
        // Digits straight into the buffer: spans write two numbers each, thousands per document.
        var v = i.magnitude
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                n += 1
            } while v > 0
            while n > 0 {
                n -= 1
                bytes.append(d[n])
            }
        }
    }

    public mutating func bool(_ b: Bool) {
        separator()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A number rounded to 4 decimals, written without exponent or trailing zeros.
    public mutating func number(_ d: Double) {
        separator()
        bytes.append(contentsOf: JSONWriter.format(d).utf8)
    }

    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        let scaled = (d * 10000).rounded()
        var whole = Int(scaled) / 10000
        var frac = abs(Int(scaled) % 10000)
        let negative = scaled < 0
        whole = abs(whole)
        var s = (negative ? "-" : "") + String(whole)
        if frac != 0 {
            var digits = String(frac)
            digits = String(repeating: "0", count: 4 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
            frac = 0
        }
        return s
    }

    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func optionalField(_ k: String, _ v: String?) { if let v { key(k); string(v) } }

    public mutating func stringArray(_ k: String, _ values: [String]) {
        key(k)
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted<C: Collection>(_ s: C) where C.Element == UInt8 {
        bytes.append(UInt8(ascii: "\""))
        let done = s.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil { appendEscaped(Array(s)) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ s: [UInt8]) {
        s.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// Copies runs that need no escape in one go; most text is such a run.
    private mutating func appendEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F { i += 1; continue }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<i])) }
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, JSONWriter.hex[Int(b >> 4)], JSONWriter.hex[Int(b & 0xF)]])
            }
            i += 1
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[runStart..<n])) }
    }
}
