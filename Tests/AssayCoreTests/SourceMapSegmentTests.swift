import Testing

@testable import AssayCore

/// The builder's source map: segments merge where copying goes on one for one, and a synthetic run
/// gets one segment per byte, whatever room the builder reserved.
@Suite struct SourceMapSegmentTests {
    static func build(capacity: Int) -> TextBuilder {
        var b = TextBuilder(capacity: capacity)
        b.append(Array("Hello".utf8), sourceOffset: 10)  // text 0..<5 from input 10..<15
        b.appendSynthetic(0x20, sourceOffset: 15)  // the line break: continues the segment
        b.append(Array("world".utf8), sourceOffset: 16)  // still one for one
        b.appendSynthetic(0x0A, count: 2, sourceOffset: 30)  // a block break
        b.append(Array("Next".utf8), sourceOffset: 32)
        b.appendSynthetic(0x09, count: 3, sourceOffset: 40)
        b.append(Array("x".utf8), sourceOffset: 50)
        return b
    }

    @Test func segmentsMergeAndSyntheticRunsMapByteByByte() {
        let (bytes, map) = Self.build(capacity: 0).finish()
        #expect(String(decoding: bytes, as: UTF8.self) == "Hello world\n\nNext\t\t\tx")
        #expect(map.textStarts == [0, 11, 12, 13, 17, 18, 19, 20])
        #expect(map.sourceStarts == [10, 30, 30, 32, 40, 40, 40, 50])
        let expected = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 30, 32, 33, 34, 35, 40, 40, 40, 50]
        #expect((0..<bytes.count).map { map.sourceOffset(forTextOffset: $0) } == expected)
    }

    @Test func reservedRoomChangesNothing() {
        let plain = Self.build(capacity: 0).finish()
        let roomy = Self.build(capacity: 1 << 20).finish()
        #expect(plain.bytes == roomy.bytes)
        #expect(plain.map == roomy.map)
    }

    @Test func aSegmentStartingWhereTheLastOneDidReplacesIt() {
        var map = SourceMap(reservingCapacity: 4)
        map.add(textStart: 0, sourceStart: 5)
        map.add(textStart: 3, sourceStart: 8)  // continues
        map.add(textStart: 3, sourceStart: 20)  // a jump: a new segment
        map.add(textStart: 3, sourceStart: 30)  // same text start: replaces it
        #expect(map.textStarts == [0, 3])
        #expect(map.sourceStarts == [5, 30])
    }
}
