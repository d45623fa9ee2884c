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
/// be copied: pass it `inout`. It can start in a buffer the caller lends (`init(into:)`), so that
/// a record is written straight into the array that holds it.
public struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    /// The bytes written so far.
    public private(set) var count = 0
    private var capacity: Int
    /// False while the bytes are in a buffer the caller lent: the writer must not free it.
    private var ownsStorage = true
    /// Whether the open container already holds a value, so the next key or value goes after a
    /// comma. One flag is enough: closing a container leaves its parent holding a value.
    private var needsComma = false
    /// Where `string(repeated:)` wrote strings before, by a hash of the Strings' words (allocated
    /// at the first such string).
    private var repeats: UnsafeMutablePointer<Repeat>?

    /// A string written before: the String's two words, and where its quoted form was written.
    private struct Repeat {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var start = 0
        var count = 0
    }

    private static let repeatSlots = 256

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    /// Writes into `buffer` for as long as it has room, then moves to memory of its own
    /// (`isInLentBuffer` tells which). The buffer must outlive the writer.
    public init(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        precondition(!buffer.isEmpty, "JSONWriter needs a buffer with room")
        base = buffer.baseAddress!
        capacity = buffer.count
        ownsStorage = false
    }

    deinit {
        if ownsStorage { base.deallocate() }
        repeats?.deallocate()
    }

    /// Whether everything written is still in the buffer given to `init(into:)`.
    public var isInLentBuffer: Bool { !ownsStorage }

    /// What has been written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) private mutating func reserve(_ n: Int) {
        if _slowPath(count &+ n > capacity) { grow(to: count + n) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    /// Where the next key or value starts: after a comma when one is due. Needs a reserved byte.
    @inline(__always) private mutating func startValue() -> UnsafeMutablePointer<UInt8> {
        base[count] = UInt8(ascii: ",")  // overwritten by the value when no comma is due
        return base + count + (needsComma ? 1 : 0)
    }

    /// Ends a piece written up to `end`.
    @inline(__always) private mutating func finish(at end: UnsafeMutablePointer<UInt8>, needsComma: Bool) {
        count = end - base
        self.needsComma = needsComma
    }

    /// Most pieces (keys, names, labels) are a few bytes: two overlapping loads and stores copy up
    /// to 16 of them without a call to memcpy. With a constant `n` (a key) the branches fold away.
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

    /// A comma when due, then the bytes of `s` as they are.
    @inline(__always) private mutating func plain(_ s: StaticString, needsComma after: Bool) {
        let n = s.utf8CodeUnitCount
        reserve(n + 1)
        let out = startValue()
        JSONWriter.copy(out, s.utf8Start, n)
        finish(at: out + n, needsComma: after)
    }

    // Inlined: a few stores, written ~150,000 times per 10 MB (a call cost twice as much).
    @inline(__always) public mutating func beginObject() { plain("{", needsComma: false) }
    @inline(__always) public mutating func endObject() { needsComma = false; plain("}", needsComma: true) }
    @inline(__always) public mutating func beginArray() { plain("[", needsComma: false) }
    @inline(__always) public mutating func endArray() { needsComma = false; plain("]", needsComma: true) }

    /// `{"id":"e12"`: an item's opening brace and its id field behind one reserve, as
    /// `beginObject()`, `key("id")`, `id(prefix, number)` write them.
    public mutating func beginObject(id prefix: Unicode.Scalar, _ number: Int) {
        reserve(30)  // a comma, `{"id":"`, the prefix, a sign and 19 digits, a quote
        let out = startValue()
        JSONWriter.copy(out, ("{\"id\":\"" as StaticString).utf8Start, 7)
        out[7] = UInt8(ascii: prefix)
        let end = JSONWriter.writeDecimal(number, at: out + 8)
        end[0] = UInt8(ascii: "\"")
        finish(at: end + 1, needsComma: true)
    }

    /// Writes `"key":`; the value written next belongs to it. Keys written in code are plain
    /// ASCII names, copied as they are (inlined, a key is a few stores); `key(string:)` escapes
    /// keys that come from data.
    @inline(__always) public mutating func key(_ k: StaticString) { quotedConstant(k, isKey: true) }

    /// `"v"` for a value written in code that needs no escape (an enum's raw value): copied as it
    /// is, with no String to reach and no call to the escape routine.
    @inline(__always) public mutating func string(plain v: StaticString) { quotedConstant(v, isKey: false) }

    /// `"s"`, and a colon after it when it is a key: a name written in code, which needs no escape.
    @inline(__always) private mutating func quotedConstant(_ s: StaticString, isKey: Bool) {
        assert(s.hasPointerRepresentation && !UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
            .contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }, "a name to escape: use key(string:) or string(_:)")
        let n = s.utf8CodeUnitCount
        reserve(n + 4)
        let out = startValue()
        out[0] = UInt8(ascii: "\"")
        JSONWriter.copy(out + 1, s.utf8Start, n)
        out[n + 1] = UInt8(ascii: "\"")
        if isKey {
            out[n + 2] = UInt8(ascii: ":")
            finish(at: out + n + 3, needsComma: false)
        } else {
            finish(at: out + n + 2, needsComma: true)
        }
    }

    public mutating func key(string k: String) {
        string(k)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    @inline(__always) private mutating func put(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    public mutating func string(_ s: String) {
        // Native strings (all of them on Linux) hand out their UTF-8 without a copy.
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { quoted($0) }
        if done == nil { quotedCopy(s) }
    }

    /// `"s"` for a String that keeps no contiguous UTF-8. Kept out of `string(_:)`: written there,
    /// its use of the String made the compiler retain and release every String passed in.
    @inline(never) private mutating func quotedCopy(_ s: String) {
        quoted(Array(s.utf8))
    }

    /// `"s"` for a string a record writes many times (an entity's key and label, once for each
    /// mention): the same string written again is copied from where it was written first, not
    /// escaped again. `s` must stay alive and unchanged while the writer is in use (a field of the
    /// document being written): a String's two words, which find it here, name its text only then
    /// (a small string's bytes, or a large one's storage and length). Not public for that reason:
    /// `RecordWriter` calls it with the document's own strings.
    mutating func string(repeated s: String) {
        let (low, high) = unsafeBitCast(s, to: (UInt64, UInt64).self)
        let slot = repeatSlot(low, high)
        if copyRepeat(slot, low, high) { return }
        let start = count + (needsComma ? 1 : 0)  // where the opening quote goes
        string(s)
        slot.pointee = Repeat(low: low, high: high, start: start, count: count - start)
    }

    /// `string(repeated:)` for a String read where it lies (in the document's arrays): a repeat
    /// is found by the String's two words loaded as bits, so it is neither retained nor released
    /// (passing the String itself retains it: an atomic operation per field of each item).
    mutating func string(repeatedAt p: UnsafePointer<String>) {
        let (low, high) = UnsafeRawPointer(p).load(as: (UInt64, UInt64).self)
        let slot = repeatSlot(low, high)
        if copyRepeat(slot, low, high) { return }
        let start = count + (needsComma ? 1 : 0)
        string(p.pointee)
        slot.pointee = Repeat(low: low, high: high, start: start, count: count - start)
    }

    /// Fields written many times alike (entities' attributes: one dictionary that mentions of a
    /// date or of a defined name share): when `identity` was written before, the fields `write`
    /// wrote then are copied, not written again. `identity` must name the same fields while the
    /// writer is in use (the address of storage the document keeps), and `write` must write at
    /// least one field. Cached beside the strings of `string(repeated:)` with a second word of
    /// zero, which no String has (its second word holds its flags, and its address when large).
    mutating func fields(repeatedAs identity: UInt, _ write: (inout JSONWriter) -> Void) {
        let low = UInt64(identity)
        let slot = repeatSlot(low, 0)
        if copyRepeat(slot, low, 0) { return }
        let start = count + (needsComma ? 1 : 0)
        write(&self)
        slot.pointee = Repeat(low: low, high: 0, start: start, count: count - start)
    }

    /// The cache slot of a String with these two words (the cache is allocated at first use).
    @inline(__always) private mutating func repeatSlot(_ low: UInt64, _ high: UInt64) -> UnsafeMutablePointer<Repeat> {
        if repeats == nil {
            repeats = .allocate(capacity: JSONWriter.repeatSlots)
            repeats!.initialize(repeating: Repeat(), count: JSONWriter.repeatSlots)
        }
        let hash = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xFF51_AFD7_ED55_8CCD)
        return repeats! + Int(truncatingIfNeeded: hash >> 56)  // 256 slots
    }

    /// Copies the quoted form written before when `slot` holds this String; false when not.
    @inline(__always) private mutating func copyRepeat(_ slot: UnsafeMutablePointer<Repeat>, _ low: UInt64, _ high: UInt64) -> Bool {
        let seen = slot.pointee
        guard seen.count > 0 && seen.low == low && seen.high == high else { return false }
        reserve(seen.count + 1)
        let out = startValue()
        JSONWriter.copy(out, base + seen.start, seen.count)
        finish(at: out + seen.count, needsComma: true)
        return true
    }

    public mutating func string<C: Collection>(utf8 s: C) where C.Element == UInt8 {
        let done: Void? = s.withContiguousStorageIfAvailable { quoted($0) }
        if done == nil { quoted(Array(s)) }
    }

    private mutating func quoted(_ s: [UInt8]) {
        s.withUnsafeBufferPointer { quoted($0) }
    }

    /// `"s"`, escaped: the C routine checks and copies sixteen bytes a step, in one call unless
    /// escapes outgrow the room reserved.
    private mutating func quoted(_ s: UnsafeBufferPointer<UInt8>) {
        reserve(s.count &+ 24)  // a comma, two quotes, and the room the C routine wants for one call
        let out = startValue()
        out[0] = UInt8(ascii: "\"")
        let progress = assay_json_escape_copy(out + 1, capacity &- (out + 1 - base), s.baseAddress, s.count)
        count = out + 1 + progress.written - base
        if _slowPath(progress.read < s.count) { escapeRest(s, from: progress.read) }
        put(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Continues a string whose escapes outgrew the room reserved for it.
    private mutating func escapeRest(_ s: UnsafeBufferPointer<UInt8>, from start: Int) {
        var done = start
        while done < s.count {
            reserve(s.count - done + 22)
            let progress = assay_json_escape_copy(base + count, capacity - count, s.baseAddress! + done, s.count - done)
            count += progress.written
            done += progress.read
        }
    }

    public mutating func int(_ i: Int) {
        reserve(21)  // a comma, a sign and 19 digits
        let out = startValue()
        finish(at: JSONWriter.writeDecimal(i, at: out), needsComma: true)
    }

    /// `"start":N,"end":M`, a span's two fields (thousands per record): the keys and both numbers
    /// behind one reserve and one pointer, with no call per number.
    @inline(__always) public mutating func spanFields(start: Int, end: Int) {
        reserve(56)  // a comma, the two keys (15 bytes) and two numbers of up to 20 bytes
        let out = startValue()
        JSONWriter.copy(out, ("\"start\":" as StaticString).utf8Start, 8)
        let comma = JSONWriter.writeDecimal(start, at: out + 8)
        JSONWriter.copy(comma, (",\"end\":" as StaticString).utf8Start, 7)
        finish(at: JSONWriter.writeDecimal(end, at: comma + 7), needsComma: true)
    }

    /// "00", "01" ... "99": the digits of a number come out two at a time.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes `i` in decimal at `out` (room for 20 bytes) and returns the end: spans write two
    /// numbers each, thousands per document.
    @inline(__always) private static func writeDecimal(_ i: Int, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var out = start
        if i < 0 {
            out[0] = UInt8(ascii: "-")
            out += 1
        }
        var v = i.magnitude
        let end = out + decimalDigits(v)
        var at = end
        let pairs = digitPairs.utf8Start
        while v >= 100 {
            let (quotient, pair) = v.quotientAndRemainder(dividingBy: 100)
            at -= 2
            at[0] = pairs[Int(pair) &* 2]
            at[1] = pairs[Int(pair) &* 2 &+ 1]
            v = quotient
        }
        if v >= 10 {
            at[-2] = pairs[Int(v) &* 2]
            at[-1] = pairs[Int(v) &* 2 &+ 1]
        } else {
            at[-1] = UInt8(truncatingIfNeeded: v) &+ 0x30
        }
        return end
    }

    /// How many decimal digits `v` has: four at a time, then a comparison or two.
    @inline(__always) private static func decimalDigits(_ v: UInt) -> Int {
        var digits = 0, rest = v
        while rest >= 10_000 {
            rest /= 10_000
            digits &+= 4
        }
        if rest >= 100 { return digits &+ (rest >= 1_000 ? 4 : 3) }
        return digits &+ (rest >= 10 ? 2 : 1)
    }

    /// An id such as `"e12"`: a one-letter prefix and a number, written without building a String.
    public mutating func id(_ prefix: Unicode.Scalar, _ number: Int) {
        reserve(24)  // a comma, two quotes, the prefix, a sign and 19 digits
        let out = startValue()
        out[0] = UInt8(ascii: "\"")
        out[1] = UInt8(ascii: prefix)
        let end = JSONWriter.writeDecimal(number, at: out + 2)
        end[0] = UInt8(ascii: "\"")
        finish(at: end + 1, needsComma: true)
    }

    public mutating func bool(_ b: Bool) { plain(b ? "true" : "false", needsComma: true) }

    public mutating func null() { plain("null", needsComma: true) }

    /// A number rounded to 4 decimals, written without exponent or trailing zeros.
    public mutating func number(_ d: Double) {
        reserve(27)  // a comma, a sign, 19 digits, a point and 4 decimals
        var out = startValue()
        if d.isFinite {
            let scaled = Int((d * 10000).rounded())
            if scaled < 0 {
                out[0] = UInt8(ascii: "-")
                out += 1
            }
            let (whole, fraction) = scaled.magnitude.quotientAndRemainder(dividingBy: 10000)
            out = JSONWriter.writeDecimal(Int(whole), at: out)
            if fraction != 0 {
                // ".dddd" with the trailing zeros dropped
                var decimals = fraction, digits = 4
                while decimals % 10 == 0 {
                    decimals /= 10
                    digits -= 1
                }
                out[0] = UInt8(ascii: ".")
                for k in stride(from: digits, to: 0, by: -1) {
                    out[k] = UInt8(truncatingIfNeeded: decimals % 10) + 0x30
                    decimals /= 10
                }
                out += digits + 1
            }
        } else {
            out[0] = UInt8(ascii: "0")
            out += 1
        }
        finish(at: out, needsComma: true)
    }

    /// The text `number` writes.
    public static func format(_ d: Double) -> String {
        var w = JSONWriter(capacity: 32)
        w.number(d)
        return String(decoding: UnsafeBufferPointer(start: w.base, count: w.count), as: UTF8.self)
    }

    // Inlined so that each key is a constant where it is written.
    @inline(__always) public mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    @inline(__always) public mutating func field(_ k: StaticString, plain v: StaticString) { key(k); string(plain: v) }
    @inline(__always) public mutating func field(_ k: StaticString, _ v: Int) { key(k); int(v) }
    @inline(__always) public mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    @inline(__always) public mutating func optionalField(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
    /// A field written many times (an entity's key and label), read where it lies: see
    /// `string(repeatedAt:)`.
    @inline(__always) mutating func optionalField(_ k: StaticString, repeatedAt p: UnsafePointer<String?>) {
        if p.pointee == nil { return }
        key(k)
        // (An Optional String that holds one has the String's layout: no tag word.)
        p.withMemoryRebound(to: String.self, capacity: 1) { string(repeatedAt: $0) }
    }

    @inline(__always) public mutating func stringArray(_ k: StaticString, _ values: [String]) {
        key(k)
        beginArray()
        for v in values { string(v) }
        endArray()
    }
}
