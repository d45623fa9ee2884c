// Small open-addressing maps from integers to ids, for the screening's lookups by stem id (the
// byte-keyed tables are AssayCore's `ByteInterner`, `WordInterner` and `KeyTable`).

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
