import Testing

@testable import AssayCore

/// The byte-keyed tables Citations and Screening share: their answers must be those of the
/// `String`-keyed collections they stand for, for keys of every length class (1-8, 9-16 and more
/// bytes, and empty) and for non-ASCII keys.
@Suite struct ByteTablesTests {
    /// Keys of 0 to 40 bytes, ASCII and not, with repeats: a small deterministic generator.
    static func keys(_ count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % n
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCXYZ-' ").map(String.init) + ["é", "ß", "\u{0301}", "İ"]
        var out: [String] = []
        for _ in 0..<count {
            if !out.isEmpty, next(4) == 0 {
                out.append(out[next(out.count)])
                continue
            }
            let length = next(41)
            let ascii = next(5) != 0
            out.append((0..<length).map { _ in alphabet[next(ascii ? 35 : alphabet.count)] }.joined())
        }
        return out
    }

    @Test func keyTableGivesIdsInArrivalOrderLikeADictionary() {
        var table = KeyTable(capacity: 4, longer: 2)  // small, so it grows
        var model: [String: Int32] = [:]
        var order: [String] = []
        for key in Self.keys(5000, seed: 7) {
            let next = Int32(order.count)
            let (id, inserted) = table.intern(key, next: next)
            if let known = model[key] {
                #expect(id == known && !inserted, "\(key)")
            } else {
                #expect(id == next && inserted, "\(key)")
                model[key] = next
                order.append(key)
            }
        }
        for (key, id) in model { #expect(table.find(key) == id, "\(key)") }
        #expect(table.find("never added") == nil)
        #expect(table.find("é never added") == nil)
        var listed: [String: Int32] = [:]
        table.forEach { listed[String(decoding: $0, as: UTF8.self)] = $1 }
        #expect(listed == model)
    }

    @Test func keyTableKeepsCaseAndStringEquality() {
        var table = KeyTable()
        #expect(table.intern("smith", next: 0) == (0, true))
        #expect(table.intern("Smith", next: 1) == (1, true))  // no case folding: callers fold
        #expect(table.intern("", next: 2) == (2, true))
        #expect(table.intern("", next: 3) == (2, false))
        // the Kelvin sign is the letter K as a `String`: the same key, either way round
        #expect(table.intern("K", next: 3) == (3, true))
        #expect(table.find("\u{212A}") == 3)
        #expect(table.intern("\u{212A}", next: 4) == (3, false))
        #expect(table.intern("\u{212B}x", next: 4) == (4, true))  // the Angstrom sign: the non-ASCII `Å`
        #expect(table.find("\u{00C5}x") == 4)
        #expect(table.find("A\u{030A}x") == 4)
        // an ASCII key after a non-ASCII one still finds the ASCII keys
        #expect(table.intern("smith", next: 5) == (0, false))
        #expect(table.intern("jones", next: 5) == (5, true))
        #expect(table.find(Array("jones".utf8)) == 5)
    }

    @Test func keyTableInternsASCIIKeysWithReadableBytesPastThem() {
        var table = KeyTable()
        let text = Array("navig navigation navigational navig".utf8)
        text.withUnsafeBufferPointer { t in
            func key(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: t[from..<to]) }
            #expect(table.intern(ascii: key(0, 5), readable: t.count, next: 0) == (0, true))
            #expect(table.intern(ascii: key(6, 16), readable: t.count - 6, next: 1) == (1, true))
            #expect(table.intern(ascii: key(17, 29), readable: t.count - 17, next: 2) == (2, true))
            #expect(table.intern(ascii: key(30, 35), readable: t.count - 30, next: 3) == (0, false))
            #expect(table.find(key(6, 11)) == 0)
        }
    }

    @Test func wordInternerKeepsPayloadsOfEveryLength() {
        var words = WordInterner(capacity: 2, mediumCapacity: 2)
        var model: [[UInt8]: UInt64] = [:]
        for (i, key) in Self.keys(3000, seed: 11).enumerated() where !key.isEmpty {
            let bytes = Array(key.utf8)
            let payload = UInt64(i) << 20 | 5
            let got = bytes.withUnsafeBufferPointer { words.intern($0.baseAddress!, $0.count, payload: payload, readable: $0.count) }
            if let known = model[bytes] {
                #expect(got == (known, false))
            } else {
                #expect(got == (payload, true))
                model[bytes] = payload
            }
        }
        #expect(words.count == model.count)
        for (bytes, payload) in model {
            #expect(bytes.withUnsafeBufferPointer { words.payload($0.baseAddress!, $0.count) } == payload)
        }
        #expect(Array("absent".utf8).withUnsafeBufferPointer { words.payload($0.baseAddress!, $0.count) } == nil)
    }

    @Test func byteInternerNumbersKeysInArrivalOrder() {
        var interner = ByteInterner(capacity: 1)
        var order: [[UInt8]] = []
        for key in Self.keys(2000, seed: 3) {
            let bytes = Array(key.utf8)
            let expected = order.firstIndex(of: bytes)
            let (index, inserted) = interner.intern(bytes)
            #expect(index == (expected ?? order.count) && inserted == (expected == nil))
            if expected == nil { order.append(bytes) }
        }
        #expect(interner.count == order.count)
        for (i, bytes) in order.enumerated() {
            #expect(interner.key(i) == bytes)
            #expect(interner.find(bytes) == i)
        }
    }

    @Test func wordSetLowersASCIICapitalsOnly() {
        let set = WordSet(["et", "e.g", "pp", "o'neil", "ibíd", "a\u{1FEF}"])
        func contains(_ text: String) -> Bool {
            let t = Array(text.utf8)
            return t.withUnsafeBufferPointer { set.contains(ascii: $0, 0, $0.count) }
        }
        #expect(contains("et") && contains("Et") && contains("ET"))
        #expect(contains("E.G") && contains("O'Neil") && contains("pp"))
        #expect(!contains("e") && !contains("etc") && !contains("e-g") && !contains("p") && !contains(""))
        // the Greek varia is the grave accent as a `String`: text can be the word
        #expect(contains("A`"))
        #expect(set.words.contains("ibíd"))
        // text is asked about in place, in the middle of a longer text
        let text = Array("see Pp. 4".utf8)
        text.withUnsafeBufferPointer { t in
            #expect(set.contains(ascii: t, 4, 6))
            #expect(!set.contains(ascii: t, 4, 7))
        }
    }
}
