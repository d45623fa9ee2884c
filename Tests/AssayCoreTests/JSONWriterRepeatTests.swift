import Testing

@testable import AssayCore

/// `string(repeated:)` copies a string written before instead of escaping it again: it must write
/// the same bytes as `string(_:)` whatever came before it. So must `string(repeatedAt:)` and
/// `optionalField(_:repeatedAt:)`, which read the String where it lies.
@Suite struct JSONWriterRepeatTests {
    /// Both writers get `values` as object fields and array elements, twice over.
    private func written(_ values: [String], repeated: Bool) -> String {
        var w = JSONWriter(capacity: 64)  // small: the buffer moves while strings are cached
        w.beginObject()
        for round in 0..<2 {
            for (k, v) in values.enumerated() {
                w.key(string: "f\(round)-\(k)")
                if repeated { w.string(repeated: v) } else { w.string(v) }
            }
            w.key("list")
            w.beginArray()
            for v in values.reversed() {
                if repeated { w.string(repeated: v) } else { w.string(v) }
            }
            w.endArray()
        }
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// (The records are long: the failure names where they part.)
    private func expectSame(_ values: [String]) {
        let repeated = Array(written(values, repeated: true).utf8), plain = Array(written(values, repeated: false).utf8)
        let shorter = min(repeated.count, plain.count)
        let parted = (0..<shorter).first { repeated[$0] != plain[$0] } ?? shorter
        let same = repeated == plain
        #expect(same, "they part at byte \(parted): \(String(decoding: repeated[parted...].prefix(40), as: UTF8.self))")
    }

    @Test func repeatsAreWrittenAsTheFirstTime() {
        let values = [
            "cedaw", "Convention on the Elimination of All Forms of Discrimination against Women", "cedaw",
            "", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefgh", "abcdefgi", "bbcdefgh",
            "say \"no\"", "say \"no\"", "tab\there", "back\\slash", "line\nbreak", "line\nbreak",
            "Ünïcödé", "Ünïcödé", "Unicode", String(repeating: "x", count: 64), String(repeating: "x", count: 63),
            String(repeating: "x", count: 65), String(repeating: "y", count: 64), String(repeating: "x", count: 64),
        ]
        expectSame(values)
    }

    /// Many different strings share the cache's slots: one never stands for another.
    @Test func manyStringsShareSlots() {
        var values: [String] = []
        for k in 0..<3000 { values.append("key-\(k % 1500)") }
        // Short strings that share their first eight bytes, and long ones with the same text.
        for k in 0..<1000 { values.append("prefix--\(k % 700)") }
        for k in 0..<400 { values.append(String(repeating: "long ", count: 4) + "\(k % 300)") }
        for k in 0..<700 { values.append("k\(k)\u{1}") }  // escaped
        expectSame(values)
    }

    /// Optional fields read in place (as the record writer reads an entity's key and label), mixed
    /// with strings passed by value: the same bytes as the plain writer's, nil fields left out.
    @Test func fieldsReadInPlaceAreWrittenAsTheFirstTime() {
        let values: [String?] = [
            "cedaw", nil, "Convention on the Elimination of All Forms of Discrimination against Women", "cedaw", nil,
            "", "a", "abcdefgh", "abcdefghi", "say \"no\"", "Ünïcödé", "Ünïcödé", String(repeating: "x", count: 64),
            "cedaw", "Convention on the Elimination of All Forms of Discrimination against Women",
        ]
        func written(inPlace: Bool) -> String {
            var w = JSONWriter(capacity: 64)
            w.beginObject()
            values.withUnsafeBufferPointer { fields in
                for round in 0..<2 {
                    for k in fields.indices {
                        let p = fields.baseAddress! + k
                        if inPlace { w.optionalField("f", repeatedAt: p) } else { w.optionalField("f", fields[k]) }
                        // (a String passed by value between them shares the cache)
                        if k % 3 == round, let v = fields[k] {
                            w.key("v")
                            if inPlace { w.string(repeated: v) } else { w.string(v) }
                        }
                    }
                }
            }
            w.endObject()
            return String(decoding: w.bytes, as: UTF8.self)
        }
        let plain = written(inPlace: false)
        #expect(written(inPlace: true) == plain)
        #expect(plain.hasPrefix(#"{"f":"cedaw","v":"cedaw","f":"Convention on"#))
    }
}
