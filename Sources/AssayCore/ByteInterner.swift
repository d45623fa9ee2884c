// Byte-keyed tables for the stages that look words up straight from the UTF-8 text, without making
// a `String` or an array per token: `ByteInterner` (byte strings -> dense indices), `WordInterner`
// (words -> a small payload, the hot one), `KeyTable` (keys -> ids, with `String` equality) and
// `WordSet` (a fixed list of words asked about text in place, ASCII case folded).
//
// The scans of Citations and Screening call into these for every word, so whatever a look-up runs
// is `@inlinable` (a call across the module boundary per word would cost more than the look-up),
// and `public`: this toolchain inlines no `package` function's body into another module.
// The tables that take keys from a document hash them with a per-process seed: keys chosen to
// collide in one run do not collide in the next (no table's ids or answers depend on it).

import Foundation

/// The hash seed of this process.
@usableFromInline let byteHashSeed = UInt64.random(in: 0 ... .max)

/// An open-addressing hash table that gives each distinct byte string a dense index (0, 1, 2, ...),
/// in the order they are added. The keys are copied into one arena.
public struct ByteInterner: Sendable {
    /// Per slot: 0 when empty, else the key's hash in the high 32 bits and its index + 1 in the
    /// low 32 bits. The slot count is a power of two, at least twice the number of keys.
    @usableFromInline var slots: [UInt64]
    /// Where each key starts in `arena`; `offsets[i + 1]` is where it ends.
    @usableFromInline var offsets: [Int32] = [0]
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline let seed = byteHashSeed

    public init(capacity: Int = 16) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [UInt64](repeating: 0, count: n)
        offsets.reserveCapacity(capacity + 1)
        arena.reserveCapacity(capacity * 8)
    }

    /// Number of distinct keys.
    public var count: Int { offsets.count - 1 }

    /// The hash of `p[0..<n]` (`p` is not read when `n` is 0).
    @inlinable @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int, seed: UInt64) -> UInt64 {
        var h: UInt64 = (0x243F_6A88_85A3_08D3 ^ seed) ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        while i + 8 <= n {
            let v = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            // the last 1...7 bytes, little-endian, in at most three loads
            var v: UInt64 = 0
            var shift: UInt64 = 0
            if n - i >= 4 {
                v = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                shift = 32
                i += 4
            }
            if n - i >= 2 {
                v |= UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << shift
                shift &+= 16
                i += 2
            }
            if i < n { v |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift }
            h = (h ^ v) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The index of the key `p[0..<n]`, if it is in the table.
    @inlinable @inline(__always)
    public func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let h = Self.hash(p, n, seed: seed)
        return slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                arena.withUnsafeBufferPointer { arena in Self.probe(slots, offsets, arena, p, n, h).index }
            }
        }
    }

    /// The slot where the key is or would go, and its index when present.
    @inlinable @inline(__always)
    static func probe(_ slots: UnsafeBufferPointer<UInt64>, _ offsets: UnsafeBufferPointer<Int32>,
                      _ arena: UnsafeBufferPointer<UInt8>, _ p: UnsafePointer<UInt8>, _ n: Int,
                      _ h: UInt64) -> (slot: Int, index: Int?) {
        let mask = slots.count - 1
        let tag = h >> 32
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e == 0 { return (s, nil) }
            if e >> 32 == tag {
                let i = Int(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                let start = Int(offsets[i])
                if Int(offsets[i + 1]) - start == n, n == 0 || memcmp(arena.baseAddress! + start, p, n) == 0 {
                    return (s, i)
                }
            }
            s = (s + 1) & mask
        }
    }

    /// The index of the key `p[0..<n]`, adding it when new.
    @inlinable @inline(__always)
    public mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (index: Int, inserted: Bool) {
        let h = Self.hash(p, n, seed: seed)
        let (s, found) = slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                arena.withUnsafeBufferPointer { arena in Self.probe(slots, offsets, arena, p, n, h) }
            }
        }
        if let i = found { return (i, false) }
        return (insert(p, n, h, s), true)
    }

    @usableFromInline @inline(never)
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ s: Int) -> Int {
        let index = count
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(Int32(arena.count))
        slots[s] = (h >> 32) << 32 | UInt64(index + 1)
        if (index + 1) * 2 > slots.count { grow() }
        return index
    }

    public mutating func intern(_ key: [UInt8]) -> (index: Int, inserted: Bool) {
        withBytes(key) { intern($0, $1) }
    }

    public func find(_ key: [UInt8]) -> Int? {
        withBytes(key) { find($0, $1) }
    }

    /// `body` with a pointer to the key's bytes and their count (a valid pointer for an empty key).
    private func withBytes<R>(_ key: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        key.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                var zero: UInt8 = 0
                return withUnsafePointer(to: &zero) { body($0, 0) }
            }
            return body(base, b.count)
        }
    }

    /// The key of entry `i`.
    public func key(_ i: Int) -> [UInt8] { Array(arena[Int(offsets[i])..<Int(offsets[i + 1])]) }

    private mutating func grow() {
        let n = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: n)
        let mask = n - 1
        withBytes(arena) { a, _ in
            for i in 0..<count {
                let start = Int(offsets[i])
                let h = Self.hash(a + start, Int(offsets[i + 1]) - start, seed: seed)
                var s = Int(truncatingIfNeeded: h) & mask
                while fresh[s] != 0 { s = (s + 1) & mask }
                fresh[s] = (h >> 32) << 32 | UInt64(i + 1)
            }
        }
        slots = fresh
    }
}

/// A map from words (byte strings) to a payload of up to 40 bits, for looking words up straight
/// from the text: a word of up to 8 bytes is kept in a 16-byte slot (one memory access finds it,
/// one integer comparison matches it), one of up to 16 bytes in a 32-byte slot; longer words go to
/// a `ByteInterner`.
public struct WordInterner: Sendable {
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var k0: UInt64
        @usableFromInline var k1: UInt64
        /// 0 when empty; else the key's length (8 bits) and a hash tag (24 bits) in the high half.
        @usableFromInline var meta: UInt64
        @usableFromInline var payload: UInt64

        @usableFromInline init(k0: UInt64, k1: UInt64, meta: UInt64, payload: UInt64) {
            (self.k0, self.k1, self.meta, self.payload) = (k0, k1, meta, payload)
        }
    }
    @usableFromInline struct ShortSlot: Sendable {
        @usableFromInline var key: UInt64
        /// 0 when empty; else the payload (40 bits), the key's length (4 bits, 1...8), a hash tag.
        @usableFromInline var meta: UInt64

        @usableFromInline init(key: UInt64, meta: UInt64) {
            (self.key, self.meta) = (key, meta)
        }
    }
    @usableFromInline var short: [ShortSlot]
    @usableFromInline var slots: [Slot]
    @usableFromInline var long = ByteInterner()
    @usableFromInline var longPayload: [UInt64] = []
    @usableFromInline var shortCount = 0
    @usableFromInline var mediumCount = 0
    @usableFromInline let seed = byteHashSeed

    public static let payloadMask: UInt64 = (1 << 40) - 1

    /// Number of keys.
    public var count: Int { shortCount + mediumCount + longPayload.count }

    /// Room for `capacity` keys of up to eight bytes before growing, and for `mediumCapacity` keys
    /// of 9 to 16 bytes (by default half as many).
    public init(capacity: Int = 16, mediumCapacity: Int? = nil) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        short = [ShortSlot](repeating: ShortSlot(key: 0, meta: 0), count: n)
        var m = 16
        if let mediumCapacity {
            while m < mediumCapacity * 2 { m <<= 1 }
        } else {
            m = max(16, n / 2)
        }
        slots = [Slot](repeating: Slot(k0: 0, k1: 0, meta: 0, payload: 0), count: m)
    }

    /// Every key with its payload, in no particular order.
    public func forEach(_ body: ([UInt8], UInt64) -> Void) {
        for e in short where e.meta != 0 {
            let n = Int((e.meta >> 40) & 0xF)
            body(withUnsafeBytes(of: e.key) { Array($0.prefix(n)) }, e.meta & Self.payloadMask)
        }
        for e in slots where e.meta != 0 {
            let n = Int((e.meta >> 32) & 0xFF)
            let bytes = withUnsafeBytes(of: e.k0) { Array($0) } + withUnsafeBytes(of: e.k1) { Array($0) }
            body(Array(bytes.prefix(n)), e.payload)
        }
        for i in 0..<long.count { body(long.key(i), longPayload[i]) }
    }

    @inlinable @inline(__always)
    static func partial(_ p: UnsafePointer<UInt8>, _ m: Int) -> UInt64 {
        var v: UInt64 = 0
        var i = 0
        while i < m {
            v |= UInt64(p[i]) << UInt64(i &* 8)
            i += 1
        }
        return v
    }

    /// The key's bytes (n <= 16), zero-padded, as two words.
    @inlinable @inline(__always)
    static func words(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
        if n >= 8 {
            let raw = UnsafeRawPointer(p)
            let k0 = raw.loadUnaligned(as: UInt64.self)
            let k1 = n == 16 ? raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : partial(p + 8, n - 8)
            return (k0, k1)
        }
        return (partial(p, n), 0)
    }

    // The hashes fold together the two halves of one full-width multiply: each bit of the key
    // reaches the low bits (where the slot is taken) and the high ones (the tag), in a short chain
    // of work before the table is read.

    /// The hash of a key of up to eight bytes (`k`, zero-padded).
    @inlinable @inline(__always)
    static func shortHash(_ k: UInt64, _ n: Int, seed: UInt64) -> UInt64 {
        let (high, low) = ((k ^ seed) &+ UInt64(truncatingIfNeeded: n)).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return high ^ low
    }

    /// The hash of a key of up to sixteen bytes (`k0`, `k1`, zero-padded).
    @inlinable @inline(__always)
    static func hash(_ k0: UInt64, _ k1: UInt64, _ n: Int, seed: UInt64) -> UInt64 {
        let (high, low) = (k0 ^ seed ^ 0x9E37_79B9_7F4A_7C15)
            .multipliedFullWidth(by: k1 ^ UInt64(truncatingIfNeeded: n) ^ 0xC2B2_AE3D_27D4_EB4F)
        return high ^ low
    }

    /// The short slots' meta without the payload: length and tag.
    @inlinable @inline(__always)
    static func shortTag(_ h: UInt64, _ n: Int) -> UInt64 {
        (h >> 44) << 44 | UInt64(n) << 40
    }

    @inlinable @inline(__always)
    static func tag(_ h: UInt64, _ n: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(n) << 32 | 1
    }

    /// The key's bytes `p[0..<n]` (n <= 8), zero-padded, when `readable` bytes from `p` may be read:
    /// one load when eight may.
    @inlinable @inline(__always)
    static func padded(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64 {
        guard readable >= 8 else { return partialOrFull(p, n) }
        let v = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        return n == 8 ? v : v & ((1 << UInt64(truncatingIfNeeded: n &* 8)) &- 1)
    }

    @inlinable @inline(__always)
    static func partialOrFull(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        n == 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : partial(p, n)
    }

    /// The payload kept with the key `p[0..<n]`, if it is in the table.
    @inlinable @inline(__always)
    public func payload(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        payload(p, n, readable: n)
    }

    /// The payload kept with the key `p[0..<n]`, if it is in the table; `readable` bytes from `p`
    /// (at least `n`) may be read, which lets a short key be read in one load.
    @inlinable @inline(__always)
    public func payload(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64? {
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n, seed: seed)
            let t = Self.shortTag(h, n)
            return short.withUnsafeBufferPointer { slots -> UInt64? in
                let mask = slots.count - 1
                var s = Int(truncatingIfNeeded: h) & mask
                while true {
                    let e = slots[s]
                    if e.meta == 0 { return nil }
                    if e.meta & ~Self.payloadMask == t, e.key == k { return e.meta & Self.payloadMask }
                    s = (s + 1) & mask
                }
            }
        }
        // (static functions of the tables they read: a method, given all of `self`, would make the
        // caller copy the whole struct for each look-up)
        if n > 16 { return Self.longKeyPayload(long, longPayload, p, n) }
        return Self.mediumPayload(slots, p, n, readable: readable, seed: seed)
    }

    @usableFromInline
    static func longKeyPayload(_ long: ByteInterner, _ payloads: [UInt64], _ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        guard let i = long.find(p, n) else { return nil }
        return payloads[i]
    }

    /// The payload of the key `p[0..<n]` (n <= 16) in the table of `slots`.
    @inlinable
    static func mediumPayload(_ slots: [Slot], _ p: UnsafePointer<UInt8>, _ n: Int, readable: Int, seed: UInt64) -> UInt64? {
        let (k0, k1) = n > 8
            ? (UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), Self.padded(p + 8, n - 8, readable: readable - 8))
            : Self.words(p, n)
        let h = Self.hash(k0, k1, n, seed: seed)
        let t = Self.tag(h, n)
        return slots.withUnsafeBufferPointer { slots -> UInt64? in
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = slots[s]
                if e.meta == 0 { return nil }
                if e.meta == t, e.k0 == k0, e.k1 == k1 { return e.payload }
                s = (s + 1) & mask
            }
        }
    }

    /// The payload kept with the key `p[0..<n]`; when the key is not in the table, it is added with
    /// `payload` (at most 40 bits). `readable` bytes from `p` (at least `n`) may be read. Keys of up
    /// to 16 bytes are looked up and placed in one probe.
    @inlinable
    public mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64, readable: Int) -> (payload: UInt64, inserted: Bool) {
        precondition(payload & ~Self.payloadMask == 0, "a word's payload has at most 40 bits")
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n, seed: seed)
            let t = Self.shortTag(h, n)
            let mask = short.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while short[s].meta != 0 {
                let e = short[s]
                if e.meta & ~Self.payloadMask == t, e.key == k { return (e.meta & Self.payloadMask, false) }
                s = (s + 1) & mask
            }
            short[s] = ShortSlot(key: k, meta: t | payload)
            shortCount += 1
            if shortCount * 2 > short.count { growShort() }
            return (payload, true)
        }
        if n >= 9 && n <= 16 {
            let k0 = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            let k1 = Self.padded(p + 8, n - 8, readable: readable - 8)
            let h = Self.hash(k0, k1, n, seed: seed)
            let t = Self.tag(h, n)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s].meta != 0 {
                let e = slots[s]
                if e.meta == t, e.k0 == k0, e.k1 == k1 { return (e.payload, false) }
                s = (s + 1) & mask
            }
            slots[s] = Slot(k0: k0, k1: k1, meta: t, payload: payload)
            mediumCount += 1
            if mediumCount * 2 > slots.count { grow() }
            return (payload, true)
        }
        if let found = self.payload(p, n, readable: readable) { return (found, false) }
        insert(p, n, payload: payload, readable: readable)
        return (payload, true)
    }

    /// Adds the key `p[0..<n]`, not in the table, with a payload of at most 40 bits.
    @inlinable
    public mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64) {
        insert(p, n, payload: payload, readable: n)
    }

    /// `insert`, when `readable` bytes from `p` (at least `n`) may be read.
    @usableFromInline
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64, readable: Int) {
        precondition(payload & ~Self.payloadMask == 0, "a word's payload has at most 40 bits")
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n, seed: seed)
            let mask = short.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while short[s].meta != 0 { s = (s + 1) & mask }
            short[s] = ShortSlot(key: k, meta: Self.shortTag(h, n) | payload)
            shortCount += 1
            if shortCount * 2 > short.count { growShort() }
            return
        }
        if n > 16 {
            _ = long.intern(p, n)
            longPayload.append(payload)
            return
        }
        let (k0, k1) = n > 8 && readable >= 16
            ? (UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), Self.padded(p + 8, n - 8, readable: readable - 8))
            : Self.words(p, n)
        let h = Self.hash(k0, k1, n, seed: seed)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s].meta != 0 { s = (s + 1) & mask }
        slots[s] = Slot(k0: k0, k1: k1, meta: Self.tag(h, n), payload: payload)
        mediumCount += 1
        if mediumCount * 2 > slots.count { grow() }
    }

    @usableFromInline
    mutating func growShort() {
        let old = short
        short = [ShortSlot](repeating: ShortSlot(key: 0, meta: 0), count: old.count * 2)
        let mask = short.count - 1
        for e in old where e.meta != 0 {
            let n = Int((e.meta >> 40) & 0xF)
            var s = Int(truncatingIfNeeded: Self.shortHash(e.key, n, seed: seed)) & mask
            while short[s].meta != 0 { s = (s + 1) & mask }
            short[s] = e
        }
    }

    @usableFromInline
    mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(k0: 0, k1: 0, meta: 0, payload: 0), count: old.count * 2)
        let mask = slots.count - 1
        for e in old where e.meta != 0 {
            let n = Int((e.meta >> 32) & 0xFF)
            var s = Int(truncatingIfNeeded: Self.hash(e.k0, e.k1, n, seed: seed)) & mask
            while slots[s].meta != 0 { s = (s + 1) & mask }
            slots[s] = e
        }
    }
}

/// Byte strings to `Int32` ids the caller gives, with `String` equality: two keys are the same when
/// their strings are equal (canonically equivalent), as they would be as keys of a
/// `[String: Int32]`. ASCII keys, all there are in practice, are looked up by their bytes; other
/// keys go to a `Dictionary`.
public struct KeyTable: Sendable {
    /// ASCII keys -> their ids (the payload); the empty key's id apart.
    @usableFromInline var ascii: WordInterner
    @usableFromInline var emptyID: Int32?
    @usableFromInline var other: [String: Int32] = [:]

    /// Room for `capacity` keys of up to eight bytes and `longer` longer ones before growing.
    public init(capacity: Int = 64, longer: Int? = nil) {
        ascii = WordInterner(capacity: capacity, mediumCapacity: longer)
    }

    @inlinable @inline(__always)
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for x in b where x >= 0x80 { return false }
        return true
    }

    @inlinable @inline(__always)
    func findASCII(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let base = key.baseAddress, !key.isEmpty else { return key.isEmpty ? emptyID : nil }
        return ascii.payload(base, key.count).map { Int32(truncatingIfNeeded: $0) }
    }

    /// The id of `key`, nil when it is not in the table.
    @inlinable @inline(__always)
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if Self.isASCII(key) {
            if let id = findASCII(key) { return id }
            return other.isEmpty ? nil : other[String(decoding: key, as: UTF8.self)]
        }
        return findNonASCII(key)
    }

    @usableFromInline
    func findNonASCII(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let s = String(decoding: key, as: UTF8.self)
        if let id = other[s] { return id }
        if ascii.count > 0 || emptyID != nil {
            // a non-ASCII string equal to an ASCII one (a singleton decomposition such as the Kelvin sign)
            let nfc = Array(s.precomposedStringWithCanonicalMapping.utf8)
            if nfc.allSatisfy({ $0 < 0x80 }), let id = nfc.withUnsafeBufferPointer({ findASCII($0) }),
               String(decoding: nfc, as: UTF8.self) == s { return id }
        }
        return nil
    }

    public func find(_ key: [UInt8]) -> Int32? { key.withUnsafeBufferPointer { find($0) } }

    public func find(_ key: String) -> Int32? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    /// The id of `key`; when it is not in the table, it is added with the id `next`.
    @inlinable @inline(__always)
    public mutating func intern(_ key: UnsafeBufferPointer<UInt8>, next: Int32) -> (id: Int32, inserted: Bool) {
        if other.isEmpty, Self.isASCII(key) { return intern(ascii: key, readable: key.count, next: next) }
        return internSlowly(key, next: next)
    }

    @usableFromInline
    mutating func internSlowly(_ key: UnsafeBufferPointer<UInt8>, next: Int32) -> (id: Int32, inserted: Bool) {
        if let id = find(key) { return (id, false) }
        add(Array(key), next)
        return (next, true)
    }

    public mutating func intern(_ key: String, next: Int32) -> (id: Int32, inserted: Bool) {
        var key = key
        return key.withUTF8 { intern($0, next: next) }
    }

    /// `intern` for a key known to be ASCII, `readable` bytes from whose start may be read.
    @inlinable @inline(__always)
    public mutating func intern(ascii key: UnsafeBufferPointer<UInt8>, readable: Int, next: Int32) -> (id: Int32, inserted: Bool) {
        guard other.isEmpty else { return internSlowly(key, next: next) }
        guard let base = key.baseAddress, !key.isEmpty else {
            if let id = emptyID { return (id, false) }
            emptyID = next
            return (next, true)
        }
        let (payload, inserted) = ascii.intern(base, key.count, payload: UInt64(UInt32(bitPattern: next)), readable: readable)
        return (Int32(truncatingIfNeeded: payload), inserted)
    }

    /// Adds a key known not to be in the table.
    public mutating func add(_ key: [UInt8], _ id: Int32) {
        guard key.allSatisfy({ $0 < 0x80 }) else {
            other[String(decoding: key, as: UTF8.self)] = id
            return
        }
        key.withUnsafeBufferPointer { key in
            if let base = key.baseAddress, !key.isEmpty {
                ascii.insert(base, key.count, payload: UInt64(UInt32(bitPattern: id)))
            } else {
                emptyID = id
            }
        }
    }

    /// Every key with its id, in no particular order.
    public func forEach(_ body: ([UInt8], Int32) -> Void) {
        ascii.forEach { k, payload in body(k, Int32(truncatingIfNeeded: payload)) }
        if let emptyID { body([], emptyID) }
        for (k, id) in other { body(Array(k.utf8), id) }
    }
}

/// A fixed set of lower-case words asked about text in place: `contains(ascii: t, from, to)` is
/// `words.contains` of the ASCII text `t[from..<to]` with its capitals (A-Z) lowered, answered from
/// the bytes, without a string or SipHash (a table of word ids over a hash of the lower-cased
/// bytes). (A class: a look-up borrows the tables, with no retain of each.)
public final class WordSet: Sendable {
    public let words: Set<String>
    /// Word `k`'s bytes are `bytes[starts[k] ..< starts[k + 1]]`: the ASCII words, and the others
    /// that equal an ASCII string (a singleton decomposition such as the Kelvin sign), as that string.
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let starts: [Int]
    /// Id + 1 per slot, 0 for an empty one; a power of two of them, at most a quarter used.
    @usableFromInline let slots: [Int32]

    /// The ASCII words have no capitals (A-Z): they are compared with text so folded.
    public init(_ words: Set<String>) {
        self.words = words
        var list: [String] = []
        for w in words.sorted() {
            if w.utf8.allSatisfy({ $0 < 0x80 }) {
                precondition(!w.utf8.contains { $0 >= 0x41 && $0 <= 0x5A }, "ASCII words without capitals only")
                list.append(w)
                continue
            }
            // a word that equals an ASCII string: as that string, unless its capitals keep it from
            // ever equalling lowered text
            let nfc = w.precomposedStringWithCanonicalMapping
            if nfc.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { list.append(nfc) }
        }
        var bytes: [UInt8] = []
        var starts = [0]
        for w in list {
            bytes += w.utf8
            starts.append(bytes.count)
        }
        var size = 16
        while size < 4 * list.count { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for k in list.indices {
            let h = bytes.withUnsafeBufferPointer { Self.hash($0, starts[k], starts[k + 1]) }
            var s = h & (size - 1)
            while slots[s] != 0 { s = (s + 1) & (size - 1) }
            slots[s] = Int32(k + 1)
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    /// Whether the ASCII text `t[from..<to]`, its capitals lowered, is one of the words.
    @inlinable
    public func contains(ascii t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        let mask = slots.count - 1
        var s = Self.hash(t, from, to) & mask
        while slots[s] != 0 {
            if isWord(Int(slots[s]) - 1, t, from, to) { return true }
            s = (s + 1) & mask
        }
        return false
    }

    /// Word `k` is the text `[from, to)` in lower case.
    @inlinable
    func isWord(_ k: Int, _ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        let w = starts[k]
        guard starts[k + 1] - w == to - from else { return false }
        for i in from..<to where Self.lowered(t[i]) != bytes[w + i - from] { return false }
        return true
    }

    @inlinable @inline(__always)
    static func lowered(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// FNV-1a of the bytes in lower case (ASCII), its high bits folded down. (A fixed list, so no
    /// seed: text can only ask about it, never make a probe longer than the list's clusters.)
    @inlinable
    static func hash(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in from..<to { h = (h ^ UInt64(lowered(t[k]))) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}
