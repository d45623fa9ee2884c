import CByteScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small JSON writer into bytes. Keys come out in the order they are written, numbers in one
/// fixed format, so the same record is the same bytes on every machine and thread count.
///
/// The bytes live in a buffer the writer owns (a record appends ~100,000 small pieces, and an
/// Array's append pays a uniqueness check and a capacity check on each), so the writer cannot
/// be copied: pass it `inout`.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Bit d is set when the container open at depth d already holds a value (a comma goes first).
    /// Records nest a few levels; 64 is far beyond any writer here.
    private var hasValue: UInt64 = 0
    private var depth = 0

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// What has been written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) private mutating func put(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) private mutating func put(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        JSONWriter.copy(base + count, p, n)
        count += n
    }

    /// Most pieces (keys, names, labels) are a few bytes: two overlapping loads and stores copy up
    /// to 16 of them without a call to memcpy.
    @inline(__always) private static func copy(_ dst: UnsafeMutablePointer<UInt8>, _ src: UnsafePointer<UInt8>, _ n: Int) {
        let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
        if n >= 8 && n <= 16 {
            let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else if n < 4 {
            for i in 0..<n { dst[i] = src[i] }
        } else {
            memcpy(dst, src, n)
        }
    }

    @inline(__always) private mutating func put(_ s: StaticString) {
        put(s.utf8Start, s.utf8CodeUnitCount)
    }

    @inline(__always) private mutating func separator() {
        let bit: UInt64 = 1 << UInt64(depth)
        if hasValue & bit != 0 { put(UInt8(ascii: ",")) }
        hasValue |= bit
    }

    @inline(__always) private mutating func open(_ bracket: UInt8) {
        separator()
        put(bracket)
        depth += 1
        precondition(depth < 64, "JSONWriter nests at most 63 containers")
        hasValue &= ~(1 << UInt64(depth))
    }

    @inline(__always) private mutating func close(_ bracket: UInt8) {
        depth -= 1
        put(bracket)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes `"key":`; the value written next belongs to it. Keys written in code are plain
    /// ASCII names, copied as they are; `key(string:)` escapes keys that come from data.
    public mutating func key(_ k: StaticString) {
        assert(k.hasPointerRepresentation && !UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount)
            .contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }, "a key to escape: use key(string:)")
        separator()
        // `"key":` in one reserved stretch (a record writes thousands of keys)
        let n = k.utf8CodeUnitCount
        reserve(n + 3)
        let out = base + count
        out[0] = UInt8(ascii: "\"")
        JSONWriter.copy(out + 1, k.utf8Start, n)
        out[n + 1] = UInt8(ascii: "\"")
        out[n + 2] = UInt8(ascii: ":")
        count += n + 3
        hasValue &= ~(1 << UInt64(depth))
    }

    public mutating func key(string k: String) {
        separator()
        appendQuoted(k)
        put(UInt8(ascii: ":"))
        hasValue &= ~(1 << UInt64(depth))
    }

    public mutating func string(_ s: String) {
        separator()
        appendQuoted(s)
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
        if i < 0 { put(UInt8(ascii: "-")) }
        var digits = 1
        var power: UInt = 10
        while digits < 20 && v >= power { digits += 1; power = power &* 10 }
        reserve(digits)
        var at = count + digits
        repeat {
            at -= 1
            base[at] = UInt8(truncatingIfNeeded: v % 10) + 0x30
            v /= 10
        } while v > 0
        count += digits
    }

    /// An id such as `"e12"`: a one-letter prefix and a number, written without building a String.
    public mutating func id(_ prefix: Unicode.Scalar, _ number: Int) {
        separator()
        put(UInt8(ascii: "\""))
        put(UInt8(ascii: prefix))
        appendDigits(number)
        put(UInt8(ascii: "\""))
    }

    public mutating func bool(_ b: Bool) {
        separator()
        put(b ? "true" : "false")
    }

    public mutating func null() {
        separator()
        put("null")
    }

    /// A number rounded to 4 decimals, written without exponent or trailing zeros.
    public mutating func number(_ d: Double) {
        separator()
        var s = JSONWriter.format(d)
        s.withUTF8 { put($0.baseAddress!, $0.count) }
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

    public mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: StaticString, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    public mutating func optionalField(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }

    public mutating func stringArray(_ k: StaticString, _ values: [String]) {
        key(k)
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    private static let hex: StaticString = "0123456789abcdef"

    private mutating func appendQuoted(_ s: String) {
        put(UInt8(ascii: "\""))
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil { appendEscaped(Array(s.utf8)) }
        put(UInt8(ascii: "\""))
    }

    private mutating func appendQuoted<C: Collection>(_ s: C) where C.Element == UInt8 {
        put(UInt8(ascii: "\""))
        let done: Void? = s.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil { appendEscaped(Array(s)) }
        put(UInt8(ascii: "\""))
    }

    /// Copies runs that need no escape in one go (most text is one long run): the C scan finds the
    /// next byte to escape sixteen bytes a step.
    private mutating func appendEscaped(_ s: [UInt8]) {
        s.withUnsafeBufferPointer { appendEscaped($0) }
    }

    private mutating func appendEscaped(_ s: UnsafeBufferPointer<UInt8>) {
        guard let src = s.baseAddress else { return }
        let n = s.count
        var runStart = 0
        while runStart < n {
            let k = runStart + assay_json_escape_index(src + runStart, n - runStart)
            if runStart < k { put(src + runStart, k - runStart) }
            if k == n { return }
            reserve(6)
            count = JSONWriter.writeEscape(src[k], at: base + count) - base
            runStart = k + 1
        }
    }

    /// Writes the escape for `b` at `out` (room for six bytes) and returns the end.
    @inline(__always) private static func writeEscape(_ b: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out[0] = 0x5C
        switch b {
        case 0x22: out[1] = 0x22
        case 0x5C: out[1] = 0x5C
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        default:
            out[1] = UInt8(ascii: "u")
            out[2] = 0x30
            out[3] = 0x30
            out[4] = hex.utf8Start[Int(b >> 4)]
            out[5] = hex.utf8Start[Int(b & 0xF)]
            return out + 6
        }
        return out + 2
    }
}
