/// A small JSON writer into bytes. Keys come out in the order they are written, numbers in one
/// fixed format, so the same record is the same bytes on every machine and thread count.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Bit d is set when the container open at depth d already holds a value (a comma goes first).
    /// Records nest a few levels; 64 is far beyond any writer here.
    private var hasValue: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) private mutating func separator() {
        let bit: UInt64 = 1 << UInt64(depth)
        if hasValue & bit != 0 { bytes.append(UInt8(ascii: ",")) }
        hasValue |= bit
    }

    @inline(__always) private mutating func open(_ bracket: UInt8) {
        separator()
        bytes.append(bracket)
        depth += 1
        precondition(depth < 64, "JSONWriter nests at most 63 containers")
        hasValue &= ~(1 << UInt64(depth))
    }

    @inline(__always) private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(bracket)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes `"key":`; the value written next belongs to it.
    public mutating func key(_ k: String) {
        separator()
        var k = k
        k.withUTF8 { appendQuoted($0) }
        bytes.append(UInt8(ascii: ":"))
        hasValue &= ~(1 << UInt64(depth))
    }

    public mutating func string(_ s: String) {
        separator()
        var s = s
        s.withUTF8 { appendQuoted($0) }
    }

    public mutating func string<C: Collection>(utf8 s: C) where C.Element == UInt8 {
        separator()
        appendQuoted(s)
    }

    public mutating func int(_ i: Int) {
        separator()
        appendDigits(i)
    }

    /// Digits straight into the buffer: spans write two numbers each, thousands per document.
    private mutating func appendDigits(_ i: Int) {
        var v = i.magnitude
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes hold any Int's 20 digits
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

    /// An id such as `"e12"`: a one-letter prefix and a number, written without building a String.
    public mutating func id(_ prefix: Unicode.Scalar, _ number: Int) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: prefix))
        appendDigits(number)
        bytes.append(UInt8(ascii: "\""))
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

    private mutating func appendQuoted(_ s: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaped(s)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendQuoted<C: Collection>(_ s: C) where C.Element == UInt8 {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = s.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil { Array(s).withUnsafeBufferPointer { appendEscaped($0) } }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Copies runs that need no escape in one go (most text is such a run), testing eight bytes at a
    /// time for a control byte, `"`, `\` or DEL.
    private mutating func appendEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        guard let base = s.baseAddress else { return }
        let n = s.count
        var runStart = 0
        var i = 0
        while i < n {
            while i + 8 <= n && !JSONWriter.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
            if i == n { break }
            let b = base[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F { i += 1; continue }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            bytes.append(0x5C)
            switch b {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, JSONWriter.hex[Int(b >> 4)], JSONWriter.hex[Int(b & 0xF)]])
            }
            i += 1
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
    }

    /// Whether any of the eight bytes is below 0x20, `"`, `\` or 0x7F (SWAR: a byte is zero after
    /// XOR with the target exactly when `(x - 0x01..) & ~x & 0x80..` has its high bit).
    @inline(__always) private static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        // Bytes below 0x20 (high bit clear): (b - 0x20) borrows into the high bit.
        let below = (w &- ones &* 0x20) & ~w & highs
        return below != 0 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0x7F))
    }
}
