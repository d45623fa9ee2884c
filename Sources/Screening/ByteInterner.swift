// An open-addressing hash table that gives each distinct byte string a dense index (0, 1, 2, ...),
// for looking words up straight from the UTF-8 text without making a `String` or an array per
// token. The keys are copied into one arena.

import Foundation

struct ByteInterner: Sendable {
    /// Per slot: 0 when empty, else the key's hash in the high 32 bits and its index + 1 in the
    /// low 32 bits. The slot count is a power of two, at least twice the number of keys.
    private var slots: [UInt64]
    /// Where each key starts in `arena`; `offsets[i + 1]` is where it ends.
    private var offsets: [Int32] = [0]
    private var arena: [UInt8] = []

    init(capacity: Int = 16) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [UInt64](repeating: 0, count: n)
        offsets.reserveCapacity(capacity + 1)
        arena.reserveCapacity(capacity * 8)
    }

    /// Number of distinct keys.
    var count: Int { offsets.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < n {
            // the last 1...7 bytes, little-endian, in at most three loads
            var v: UInt64 = 0
            var shift: UInt64 = 0
            if n - i >= 4 {
                v = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                shift = 32
                i += 4
            }
            if n - i >= 2 {
                v |= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self)) << shift
                shift &+= 16
                i += 2
            }
            if i < n { v |= UInt64(p[i]) << shift }
            h = (h ^ v) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The index of the key `p[0..<n]`, if it is in the table.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let h = Self.hash(p, n)
        return slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                arena.withUnsafeBufferPointer { arena in
                    let (s, i) = Self.probe(slots, offsets, arena, p, n, h)
                    _ = s
                    return i
                }
            }
        }
    }

    /// The slot where the key is or would go, and its index when present.
    @inline(__always)
    private static func probe(_ slots: UnsafeBufferPointer<UInt64>, _ offsets: UnsafeBufferPointer<Int32>,
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
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (index: Int, inserted: Bool) {
        let h = Self.hash(p, n)
        let (s, found) = slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                arena.withUnsafeBufferPointer { arena in Self.probe(slots, offsets, arena, p, n, h) }
            }
        }
        if let i = found { return (i, false) }
        return (insert(p, n, h, s), true)
    }

    @inline(never)
    private mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ s: Int) -> Int {
        let index = count
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(Int32(arena.count))
        slots[s] = (h >> 32) << 32 | UInt64(index + 1)
        if (index + 1) * 2 > slots.count { grow() }
        return index
    }

    mutating func intern(_ key: [UInt8]) -> (index: Int, inserted: Bool) {
        key.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                var zero: UInt8 = 0
                return withUnsafePointer(to: &zero) { intern($0, 0) }
            }
            return intern(base, b.count)
        }
    }

    func find(_ key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else {
                var zero: UInt8 = 0
                return withUnsafePointer(to: &zero) { find($0, 0) }
            }
            return find(base, b.count)
        }
    }

    /// The key of entry `i`.
    func key(_ i: Int) -> [UInt8] { Array(arena[Int(offsets[i])..<Int(offsets[i + 1])]) }

    private mutating func grow() {
        let n = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: n)
        let mask = n - 1
        arena.withUnsafeBufferPointer { a in
            for i in 0..<count {
                let start = Int(offsets[i])
                let len = Int(offsets[i + 1]) - start
                let h = len == 0 ? Self.emptyHash : Self.hash(a.baseAddress! + start, len)
                var s = Int(truncatingIfNeeded: h) & mask
                while fresh[s] != 0 { s = (s + 1) & mask }
                fresh[s] = (h >> 32) << 32 | UInt64(i + 1)
            }
        }
        slots = fresh
    }

    private static let emptyHash: UInt64 = {
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { hash($0, 0) }
    }()
}

/// A small open-addressing map from non-negative `Int32` keys to `Int32` values.
struct Int32Map: Sendable {
    /// Per slot: key + 1 in the high 32 bits (0: empty), the value in the low 32 bits.
    private var slots: [UInt64]
    private(set) var count = 0

    init(capacity: Int = 16) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [UInt64](repeating: 0, count: n)
    }

    @inline(__always)
    private static func start(_ key: Int32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    subscript(key: Int32) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            let k = UInt64(UInt32(bitPattern: key)) + 1
            var s = Self.start(key, mask)
            while true {
                let e = slots[s]
                if e == 0 { return nil }
                if e >> 32 == k { return Int32(truncatingIfNeeded: e & 0xFFFF_FFFF) }
                s = (s + 1) & mask
            }
        }
    }

    /// Sets the value of a key not in the map.
    mutating func insert(_ key: Int32, _ value: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var s = Self.start(key, mask)
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = (UInt64(UInt32(bitPattern: key)) + 1) << 32 | UInt64(UInt32(bitPattern: value))
        count += 1
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        let mask = slots.count - 1
        for e in old where e != 0 {
            let key = Int32(truncatingIfNeeded: (e >> 32) - 1)
            var s = Self.start(key, mask)
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = e
        }
    }
}

/// A map from words (byte strings) to a payload of up to 40 bits, for looking words up straight
/// from the text: a word of up to 8 bytes is kept in a 16-byte slot (one memory access finds it,
/// one integer comparison matches it), one of up to 16 bytes in a 32-byte slot; longer words go to
/// a `ByteInterner`.
struct WordInterner: Sendable {
    private struct Slot {
        var k0: UInt64
        var k1: UInt64
        /// 0 when empty; else the key's length (8 bits) and a hash tag (24 bits) in the high half.
        var meta: UInt64
        var payload: UInt64
    }
    private struct ShortSlot {
        var key: UInt64
        /// 0 when empty; else the payload (40 bits), the key's length (4 bits, 1...8), a hash tag.
        var meta: UInt64
    }
    private var short: [ShortSlot]
    private var slots: [Slot]
    private var long = ByteInterner()
    private var longPayload: [UInt64] = []
    private(set) var count = 0
    private var shortCount = 0
    private var mediumCount = 0

    static let payloadMask: UInt64 = (1 << 40) - 1

    /// Room for `capacity` keys of up to eight bytes before growing, and for `mediumCapacity` keys
    /// of 9 to 16 bytes (by default half as many).
    init(capacity: Int = 16, mediumCapacity: Int? = nil) {
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
    func forEach(_ body: ([UInt8], UInt64) -> Void) {
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

    @inline(__always)
    private static func partial(_ p: UnsafePointer<UInt8>, _ m: Int) -> UInt64 {
        var v: UInt64 = 0
        var i = 0
        while i < m {
            v |= UInt64(p[i]) << UInt64(i &* 8)
            i += 1
        }
        return v
    }

    /// The key's bytes (n <= 16), zero-padded, as two words.
    @inline(__always)
    private static func words(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
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
    @inline(__always)
    private static func shortHash(_ k: UInt64, _ n: Int) -> UInt64 {
        let (high, low) = (k &+ UInt64(truncatingIfNeeded: n)).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return high ^ low
    }

    /// The hash of a key of up to sixteen bytes (`k0`, `k1`, zero-padded).
    @inline(__always)
    private static func hash(_ k0: UInt64, _ k1: UInt64, _ n: Int) -> UInt64 {
        let (high, low) = (k0 ^ 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: k1 ^ UInt64(truncatingIfNeeded: n) ^ 0xC2B2_AE3D_27D4_EB4F)
        return high ^ low
    }

    /// The short slots' meta without the payload: length and tag.
    @inline(__always)
    private static func shortTag(_ h: UInt64, _ n: Int) -> UInt64 {
        (h >> 44) << 44 | UInt64(n) << 40
    }

    @inline(__always)
    private static func tag(_ h: UInt64, _ n: Int) -> UInt64 {
        (h >> 40) << 40 | UInt64(n) << 32 | 1
    }

    /// The key's bytes `p[0..<n]` (n <= 8), zero-padded, when `readable` bytes from `p` may be read:
    /// one load when eight may.
    @inline(__always)
    private static func padded(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64 {
        guard readable >= 8 else { return partialOrFull(p, n) }
        let v = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        return n == 8 ? v : v & ((1 << UInt64(truncatingIfNeeded: n &* 8)) &- 1)
    }

    /// The payload kept with the key `p[0..<n]`, if it is in the table.
    @inline(__always)
    func payload(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        payload(p, n, readable: n)
    }

    /// The payload kept with the key `p[0..<n]`, if it is in the table; `readable` bytes from `p`
    /// (at least `n`) may be read, which lets a short key be read in one load.
    @inline(__always)
    func payload(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64? {
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n)
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
        if n > 16 { return longKeyPayload(p, n) }
        // (a static function of the table alone: a method would copy all of `self` for each call)
        return Self.mediumPayload(slots, p, n, readable: readable)
    }

    @inline(__always)
    private static func partialOrFull(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        n == 8 ? UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) : partial(p, n)
    }

    private func longKeyPayload(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        guard let i = long.find(p, n) else { return nil }
        return longPayload[i]
    }

    /// The payload of the key `p[0..<n]` (n <= 16) in the table of `slots`.
    private static func mediumPayload(_ slots: [Slot], _ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> UInt64? {
        let (k0, k1) = n > 8
            ? (UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), Self.padded(p + 8, n - 8, readable: readable - 8))
            : Self.words(p, n)
        let h = Self.hash(k0, k1, n)
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
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64, readable: Int) -> (payload: UInt64, inserted: Bool) {
        precondition(payload & ~Self.payloadMask == 0, "a word's payload has at most 40 bits")
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n)
            let t = Self.shortTag(h, n)
            let mask = short.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while short[s].meta != 0 {
                let e = short[s]
                if e.meta & ~Self.payloadMask == t, e.key == k { return (e.meta & Self.payloadMask, false) }
                s = (s + 1) & mask
            }
            short[s] = ShortSlot(key: k, meta: t | payload)
            count += 1
            shortCount += 1
            if shortCount * 2 > short.count { growShort() }
            return (payload, true)
        }
        if n >= 9 && n <= 16 {
            let k0 = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            let k1 = Self.padded(p + 8, n - 8, readable: readable - 8)
            let h = Self.hash(k0, k1, n)
            let t = Self.tag(h, n)
            let mask = slots.count - 1
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s].meta != 0 {
                let e = slots[s]
                if e.meta == t, e.k0 == k0, e.k1 == k1 { return (e.payload, false) }
                s = (s + 1) & mask
            }
            slots[s] = Slot(k0: k0, k1: k1, meta: t, payload: payload)
            count += 1
            mediumCount += 1
            if mediumCount * 2 > slots.count { grow() }
            return (payload, true)
        }
        if let found = self.payload(p, n, readable: readable) { return (found, false) }
        insert(p, n, payload: payload, readable: readable)
        return (payload, true)
    }

    /// Adds the key `p[0..<n]`, not in the table, with a payload of at most 40 bits.
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64) {
        insert(p, n, payload: payload, readable: n)
    }

    /// `insert`, when `readable` bytes from `p` (at least `n`) may be read.
    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, payload: UInt64, readable: Int) {
        precondition(payload & ~Self.payloadMask == 0, "a word's payload has at most 40 bits")
        count += 1
        if n >= 1 && n <= 8 {
            let k = Self.padded(p, n, readable: readable)
            let h = Self.shortHash(k, n)
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
        let h = Self.hash(k0, k1, n)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s].meta != 0 { s = (s + 1) & mask }
        slots[s] = Slot(k0: k0, k1: k1, meta: Self.tag(h, n), payload: payload)
        mediumCount += 1
        if mediumCount * 2 > slots.count { grow() }
    }

    private mutating func growShort() {
        let old = short
        short = [ShortSlot](repeating: ShortSlot(key: 0, meta: 0), count: old.count * 2)
        let mask = short.count - 1
        for e in old where e.meta != 0 {
            let n = Int((e.meta >> 40) & 0xF)
            var s = Int(truncatingIfNeeded: Self.shortHash(e.key, n)) & mask
            while short[s].meta != 0 { s = (s + 1) & mask }
            short[s] = e
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(k0: 0, k1: 0, meta: 0, payload: 0), count: old.count * 2)
        let mask = slots.count - 1
        for e in old where e.meta != 0 {
            let n = Int((e.meta >> 32) & 0xFF)
            var s = Int(truncatingIfNeeded: Self.hash(e.k0, e.k1, n)) & mask
            while slots[s].meta != 0 { s = (s + 1) & mask }
            slots[s] = e
        }
    }
}

/// A small open-addressing map from `UInt64` keys (not 0) to `Int32` values, built once.
struct UInt64Map: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]

    init(_ pairs: [(UInt64, Int32)]) {
        var n = 16
        while n < pairs.count * 3 { n <<= 1 }
        keys = [UInt64](repeating: 0, count: n)
        values = [Int32](repeating: 0, count: n)
        let mask = n - 1
        for (k, v) in pairs {
            var s = Self.start(k, mask)
            while keys[s] != 0, keys[s] != k { s = (s + 1) & mask }
            keys[s] = k
            values[s] = v
        }
    }

    @inline(__always)
    private static func start(_ k: UInt64, _ mask: Int) -> Int {
        var h = k &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    @inline(__always)
    subscript(key: UInt64) -> Int32? {
        keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var s = Self.start(key, mask)
            while true {
                let k = keys[s]
                if k == key { return values[s] }
                if k == 0 { return nil }
                s = (s + 1) & mask
            }
        }
    }
}
