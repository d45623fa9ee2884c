import Foundation
import Testing

@testable import AssayCore

/// The record writer's cheaper routines against plain reference versions.
@Suite struct RecordWriterCostTests {
    /// Scalars that start before `offset`: the lead bytes counted one by one.
    private func leadBytes(_ text: [UInt8], before offset: Int) -> Int {
        text[..<offset].count { $0 & 0xC0 != 0x80 }
    }

    @Test func scalarIndexCountsLeadBytesAtEveryOffset() {
        // Texts of every length around the 64-byte blocks, with 1- to 4-byte scalars at every
        // alignment, all ASCII, and all multi-byte.
        let pieces = ["a", "é", "€", "𝐀", "bc", "ü😀", "\n"]
        var texts: [[UInt8]] = [[], Array(String(repeating: "x", count: 200).utf8), Array(String(repeating: "€", count: 90).utf8)]
        var mixed: [UInt8] = []
        var n = 0
        while mixed.count < 400 {
            mixed += Array(pieces[(n * 7 + n / 3) % pieces.count].utf8)
            n += 1
            texts.append(mixed)
        }
        for text in texts {
            let index = ScalarIndex(text)
            for offset in 0...text.count {
                #expect(index.scalarOffset(offset) == leadBytes(text, before: offset), "offset \(offset) of \(text.count)")
            }
            #expect(index.scalarOffset(-3) == 0)
            #expect(index.scalarOffset(text.count + 70) == leadBytes(text, before: text.count))
        }
    }

    @Test func integersAtEveryDigitCount() {
        var values: [Int] = [0, Int.max, Int.min, Int.min + 1]
        var power = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, -(power - 1), 2 * power, 9 * power]
            power = power &* 10
        }
        for v in values {
            var w = JSONWriter()
            w.beginArray()
            w.int(v)
            w.id("e", v)
            w.endArray()
            #expect(String(decoding: w.bytes, as: UTF8.self) == "[\(v),\"e\(v)\"]")
        }
    }

    @Test func objectWithIdMatchesThreeCallsAtEveryDigitCount() {
        var values: [Int] = [0, Int.max, Int.min, Int.min + 1]
        var power = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, 9 * power]
            power = power &* 10
        }
        for v in values {
            // The first item of an array and one after another; a small writer, so that the
            // reserve has to grow the buffer.
            var fused = JSONWriter(capacity: 64), plain = JSONWriter(capacity: 64)
            fused.beginArray()
            fused.beginObject(id: "e", v)
            fused.endObject()
            fused.beginObject(id: "r", v)
            fused.field("x", 1)
            fused.endObject()
            fused.endArray()
            plain.beginArray()
            plain.beginObject()
            plain.key("id")
            plain.id("e", v)
            plain.endObject()
            plain.beginObject()
            plain.key("id")
            plain.id("r", v)
            plain.field("x", 1)
            plain.endObject()
            plain.endArray()
            #expect(fused.bytes == plain.bytes, "\(v)")
            #expect(String(decoding: fused.bytes, as: UTF8.self) == "[{\"id\":\"e\(v)\"},{\"id\":\"r\(v)\",\"x\":1}]")
        }
    }

    @Test func spanFieldsMatchTwoFieldsAtEveryDigitCount() {
        var values: [Int] = [0, Int.max, Int.min, Int.min + 1]
        var power = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, 9 * power]
            power = power &* 10
        }
        for (k, start) in values.enumerated() {
            let end = values[(k * 7 + 3) % values.count]
            // First in an object and after another field (with and without a comma); a small
            // writer, so that the reserve has to grow the buffer.
            var fused = JSONWriter(capacity: 64), plain = JSONWriter(capacity: 64)
            fused.beginObject()
            fused.spanFields(start: start, end: end)
            fused.field("x", start)
            fused.spanFields(start: end, end: start)
            fused.endObject()
            plain.beginObject()
            plain.field("start", start)
            plain.field("end", end)
            plain.field("x", start)
            plain.field("start", end)
            plain.field("end", start)
            plain.endObject()
            #expect(fused.bytes == plain.bytes, "\(start) \(end)")
            #expect(String(decoding: fused.bytes, as: UTF8.self)
                == "{\"start\":\(start),\"end\":\(end),\"x\":\(start),\"start\":\(end),\"end\":\(start)}")
        }
    }

    @Test func spansReadInPlaceMatchMap() {
        // Items of each kind written, of 0 to 40 items, with Strings and arrays around the span.
        for n in [0, 1, 2, 7, 40] {
            let entities = (0..<n).map { Entity(type: .person, span: Span($0 * 3, $0 * 5 + 1), key: "k\($0)", label: $0 % 2 == 0 ? nil : "l") }
            let sections = (0..<n).map { Section(kind: .body, span: Span(n - $0, 2 * n), label: "s\($0)") }
            let citations = (0..<n).map { Citation(span: Span($0, $0 + 9), style: .narrative, authors: ["A\($0)"], etAl: false, year: "2001") }
            let references = (0..<n).map { Reference(span: Span(-$0, $0 * $0), authors: [PersonName(family: "F")], year: "1999") }
            #expect(RecordWriter.spans(entities, \Entity.span) == entities.map(\.span))
            #expect(RecordWriter.spans(sections, \Section.span) == sections.map(\.span))
            #expect(RecordWriter.spans(citations, \Citation.span) == citations.map(\.span))
            #expect(RecordWriter.spans(references, \Reference.span) == references.map(\.span))
        }
    }

    /// The format `number` had when it was built from Strings.
    private func stringFormat(_ d: Double) -> String {
        guard d.isFinite else { return "0" }
        let scaled = (d * 10000).rounded()
        let whole = abs(Int(scaled) / 10000)
        let frac = abs(Int(scaled) % 10000)
        var s = (scaled < 0 ? "-" : "") + String(whole)
        if frac != 0 {
            var digits = String(frac)
            digits = String(repeating: "0", count: 4 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        return s
    }

    @Test func numbersKeepTheirFormat() {
        let values: [Double] = [0, -0.0, 1, -1, 0.5, 0.03, 0.003, 0.0003, 0.00004, 0.00005, -0.00004, -0.0003, 0.123456,
                                -2.5, 10.1, 100.01, 1000.001, 12345.6789, 0.99995, 0.9999, 1e12 + 0.25, -7.0001,
                                .nan, .infinity, -.infinity]
        for d in values {
            #expect(JSONWriter.format(d) == stringFormat(d), "\(d)")
            var w = JSONWriter()
            w.beginArray()
            w.number(d)
            w.number(d)
            w.endArray()
            #expect(String(decoding: w.bytes, as: UTF8.self) == "[\(stringFormat(d)),\(stringFormat(d))]")
        }
    }

    /// Strings that grow up to six times when escaped overrun the room reserved for them: the
    /// writer must continue where the escape routine stopped.
    @Test func escapesThatOutgrowTheRoomReserved() {
        let alphabet: [UInt8] = [0x01, 0x1F, 0x22, 0x5C, 0x0A, 0x7F, UInt8(ascii: "a"), 0xC3, 0xA9]
        var state: UInt64 = 7
        for length in 0...300 {
            for controls in [1, 3, 9] {  // of every nine bytes, how many escape to six bytes
                var s: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let pick = Int(state >> 33) % 9
                    s.append(pick < controls ? 0x01 : alphabet[pick % alphabet.count])
                }
                var w = JSONWriter(capacity: 64)
                w.beginArray()
                w.string(utf8: s)
                w.string(utf8: s)
                w.endArray()
                let one = jsonQuotedByteByByte(s)
                #expect(w.bytes == [0x5B] + one + [0x2C] + one + [0x5D], "length \(length)")
            }
        }
    }

    @Test func aLentBufferIsKeptWhileItHasRoomThenLeft() {
        var storage = [UInt8](repeating: 0, count: 64)
        storage.withUnsafeMutableBufferPointer { buffer in
            var w = JSONWriter(into: buffer)
            w.beginObject()
            w.field("a", 1)
            let inPlace = w.isInLentBuffer, written = w.count  // (#expect cannot take a non-copyable value)
            #expect(inPlace && written == 6)
            w.field("long", String(repeating: "x", count: 100))
            w.endObject()
            let movedOut = !w.isInLentBuffer
            #expect(movedOut)
            #expect(String(decoding: w.bytes, as: UTF8.self) == "{\"a\":1,\"long\":\"\(String(repeating: "x", count: 100))\"}")
        }
    }

    /// The record comes out the same whether the size estimate holds (written in place) or not
    /// (a text of control characters escapes to six times its size).
    @Test func recordIsTheSameInPlaceOrSpilled() {
        for text in ["Tomaševski (2021) and CEDAW, in text order.", String(repeating: "\u{01}\u{02}\"", count: 3000)] {
            var d = Document(source: "t.txt", raw: Array("x".utf8))
            d.textBytes = Array(text.utf8)
            d.entities = [Entity(type: .person, span: Span(0, 5), attributes: ["b": "2", "a": "1"]),
                          Entity(type: .treaty, span: Span(2, 4), key: "k", attributes: ["acronym": "K"])]
            var w = JSONWriter()
            d.textBytes.withUnsafeBufferPointer { RecordWriter.write(d, $0, &w) }
            let record = w.bytes
            #expect(RecordWriter.json(d) == record)
            #expect(RecordWriter.estimatedSize(d) < record.count || text.count < 100)  // the second one spills
        }
    }
}
