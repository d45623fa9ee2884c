/// Deterministic texts made of pieces (a xorshift generator), for the tests that compare a C scan with
/// the Swift loop it replaced on many generated inputs.
struct PieceText {
    private var state: UInt64

    /// A generator for the text number `seed` of `length` bytes.
    init(seed: UInt64, length: Int) {
        state = (seed &+ UInt64(length) << 8) &* 0x9E37_79B9_7F4A_7C15 | 1
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    /// `count` bytes of the pieces `pick` chooses from successive values (nil: no piece this time).
    mutating func text(_ count: Int, _ pick: (UInt64) -> [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        while out.count < count {
            if let piece = pick(next()) { out += piece }
        }
        return Array(out.prefix(count))
    }
}
