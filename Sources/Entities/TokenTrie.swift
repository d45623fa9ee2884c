// A trie over token ids: every gazetteer name is a path of normalized tokens. Edges live in one
// open-addressing hash table keyed by (node, token), so a step is one hash probe whatever the
// gazetteer's size, and matching a document costs O(tokens × longest name) probes.

struct TokenTrie: Sendable {
    /// One slot, 12 bytes: the edge (node, token; node -1 = empty) and the child node.
    struct Slot: Sendable {
        var node: Int32
        var token: Int32
        var child: Int32
    }
    private var slots: [Slot]
    private var mask: Int
    /// 64 - log2(slot count): the hash's top bits index the table.
    private var shift: UInt64
    private var edgeCount = 0
    private(set) var nodeCount = 1
    /// The longest path inserted (tokens).
    private(set) var maxDepth = 0
    /// Accepting nodes: surfaces accepted at node n are acceptItems[acceptStart[n] ..< acceptStart[n + 1]].
    private var acceptStart: [Int32] = []
    private var acceptItems: [Int32] = []
    private var pending: [(node: Int32, surface: Int32)] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 4 { size <<= 1 }
        slots = [Slot](repeating: Slot(node: -1, token: 0, child: 0), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always) private static func edgeKey(_ node: Int32, _ token: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: token))
    }

    /// Multiplicative hashing: every key bit reaches the top bits the table uses (one multiply;
    /// the table is at most 1/4 full, so a probe seldom goes past the first slot).
    @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The child of `node` along `token`, or -1.
    @inline(__always) func child(_ node: Int32, _ token: Int32) -> Int32 {
        let k = TokenTrie.edgeKey(node, token)
        return slots.withUnsafeBufferPointer { ss in
            var i = TokenTrie.slot(k, shift)
            while true {
                let s = ss[i]
                if s.node == node && s.token == token { return s.child }
                if s.node < 0 { return -1 }
                i = (i &+ 1) & mask
            }
        }
    }

    mutating func insert(_ path: [Int32], surface: Int32) {
        maxDepth = max(maxDepth, path.count)
        // Room for the whole path first, so the walk runs in one unsafe pass.
        while (edgeCount + path.count) * 4 > slots.count { grow() }
        let m = mask, sh = shift
        var created = Int32(nodeCount)
        let node: Int32 = slots.withUnsafeMutableBufferPointer { ss in
            var node: Int32 = 0
            for t in path {
                var i = TokenTrie.slot(TokenTrie.edgeKey(node, t), sh)
                while true {
                    let s = ss[i]
                    if s.node == node && s.token == t { node = s.child; break }
                    if s.node < 0 {
                        ss[i] = Slot(node: node, token: t, child: created)
                        node = created
                        created += 1
                        break
                    }
                    i = (i + 1) & m
                }
            }
            return node
        }
        edgeCount += Int(created) - nodeCount
        nodeCount = Int(created)
        pending.append((node, surface))
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = [Slot](repeating: Slot(node: -1, token: 0, child: 0), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        let m = mask, sh = shift
        slots.withUnsafeMutableBufferPointer { ss in
            for s in old where s.node >= 0 {
                var j = TokenTrie.slot(TokenTrie.edgeKey(s.node, s.token), sh)
                while ss[j].node >= 0 { j = (j + 1) & m }
                ss[j] = s
            }
        }
    }

    /// Builds the accept lists; call once after the last insert.
    mutating func finish() {
        var counts = [Int32](repeating: 0, count: nodeCount + 1)
        for p in pending { counts[Int(p.node) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var fill = counts
        var items = [Int32](repeating: 0, count: pending.count)
        for p in pending {
            items[Int(fill[Int(p.node)])] = p.surface
            fill[Int(p.node)] += 1
        }
        acceptStart = counts
        acceptItems = items
        pending = []
    }

    /// The edges below the root: the words names have after their first.
    func edgesBelowRoot() -> [(node: Int32, token: Int32)] {
        slots.compactMap { $0.node > 0 ? ($0.node, $0.token) : nil }
    }

    /// The surfaces accepted at `node` (empty range when none).
    @inline(__always) func accepts(_ node: Int32) -> Range<Int> {
        acceptStart.withUnsafeBufferPointer { a in Int(a[Int(node)])..<Int(a[Int(node) &+ 1]) }
    }

    @inline(__always) func acceptedSurface(_ i: Int) -> Int32 { acceptItems[i] }
}
