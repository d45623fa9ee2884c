/// Maps offsets in the normalized text back to the decoded input, so a finding can be shown at its
/// line and column in the file a person opened. Recorded while normalizing, never recovered by search.
///
/// Each segment says: normalized bytes from `textStart` on were copied from decoded-input bytes from
/// `sourceStart` on, one for one, until the next segment. Bytes the normalizer inserted (a space that
/// replaced a line break, a tab between table cells) get a segment of their own pointing at the
/// input bytes they stand for.
public struct SourceMap: Sendable, Equatable {
    public private(set) var textStarts: [Int] = []
    public private(set) var sourceStarts: [Int] = []

    public init() {}

    /// Room for `count` segments, so that recording them does not regrow the arrays.
    init(reservingCapacity count: Int) {
        textStarts.reserveCapacity(count)
        sourceStarts.reserveCapacity(count)
    }

    /// Called for every run the builder writes: inlined, and the last segment read once.
    @inline(__always)
    mutating func add(textStart: Int, sourceStart: Int) {
        let n = textStarts.count
        if n > 0 {
            let lastT = textStarts[n - 1]
            if sourceStart - sourceStarts[n - 1] == textStart - lastT { return }  // continues the current segment
            if lastT == textStart {
                sourceStarts[n - 1] = sourceStart
                return
            }
        }
        textStarts.append(textStart)
        sourceStarts.append(sourceStart)
    }

    /// The decoded-input byte offset the text byte `offset` came from.
    public func sourceOffset(forTextOffset offset: Int) -> Int {
        guard !textStarts.isEmpty else { return offset }
        var lo = 0
        var hi = textStarts.count - 1
        if offset < textStarts[0] { return sourceStarts[0] }
        while lo < hi {  // last segment whose start <= offset
            let mid = (lo + hi + 1) / 2
            if textStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return sourceStarts[lo] + (offset - textStarts[lo])
    }
}

/// Builds the normalized text and its source map together.
public struct TextBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var map = SourceMap()

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
        // About one segment per 256 bytes of text (a segment per line break or block in plain text,
        // more in HTML): most documents then never regrow the map.
        map = SourceMap(reservingCapacity: capacity / 256)
    }

    public var count: Int { bytes.count }
    public var last: UInt8? { bytes.last }

    /// Copies input bytes that start at `sourceOffset` in the decoded input.
    public mutating func append(_ chunk: UnsafeBufferPointer<UInt8>, sourceOffset: Int) {
        guard !chunk.isEmpty else { return }
        map.add(textStart: bytes.count, sourceStart: sourceOffset)
        bytes.append(contentsOf: chunk)
    }

    public mutating func append(_ chunk: [UInt8], sourceOffset: Int) {
        chunk.withUnsafeBufferPointer { append($0, sourceOffset: sourceOffset) }
    }

    /// Appends one input byte.
    public mutating func append(byte: UInt8, sourceOffset: Int) {
        map.add(textStart: bytes.count, sourceStart: sourceOffset)
        bytes.append(byte)
    }

    /// Appends bytes the normalizer made up (a joining space, a line break, a cell tab),
    /// standing for the input at `sourceOffset`.
    public mutating func appendSynthetic(_ chunk: [UInt8], sourceOffset: Int) {
        guard !chunk.isEmpty else { return }
        let start = bytes.count
        bytes.append(contentsOf: chunk)
        mapSynthetic(start: start, count: chunk.count, sourceOffset: sourceOffset)
    }

    /// Appends `count` copies of a made-up byte (a space, a tab, the line breaks between blocks)
    /// standing for the input at `sourceOffset`.
    public mutating func appendSynthetic(_ byte: UInt8, count: Int = 1, sourceOffset: Int) {
        guard count > 0 else { return }
        let start = bytes.count
        for _ in 0..<count { bytes.append(byte) }
        mapSynthetic(start: start, count: count, sourceOffset: sourceOffset)
    }

    /// A synthetic run maps every byte to the same input offset: give it its own segment and
    /// start a new one right after, so the next copied byte maps exactly again.
    @inline(__always)
    private mutating func mapSynthetic(start: Int, count: Int, sourceOffset: Int) {
        map.add(textStart: start, sourceStart: sourceOffset)
        for i in 1..<count { map.forceAdd(textStart: start + i, sourceStart: sourceOffset) }
    }

    /// Removes trailing bytes equal to `byte` (used to trim spaces at the end of a block).
    public mutating func trimTrailing(_ byte: UInt8) {
        while bytes.last == byte { bytes.removeLast() }
        map.truncate(to: bytes.count)
    }

    public func finish() -> (bytes: [UInt8], map: SourceMap) { (bytes, map) }
}

extension SourceMap {
    mutating func forceAdd(textStart: Int, sourceStart: Int) {
        if let lastT = textStarts.last, lastT == textStart {
            sourceStarts[sourceStarts.count - 1] = sourceStart
            return
        }
        textStarts.append(textStart)
        sourceStarts.append(sourceStart)
    }

    mutating func truncate(to length: Int) {
        while let lastT = textStarts.last, lastT >= length, textStarts.count > 0 {
            textStarts.removeLast()
            sourceStarts.removeLast()
        }
    }
}

/// Line and column (both 1-based, column in Unicode scalars) of a byte offset in UTF-8 text.
public func lineAndColumn(in utf8: [UInt8], at offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    let end = min(max(offset, 0), utf8.count)
    var i = 0
    while i < end {
        let b = utf8[i]
        if b == 0x0A {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
        i += 1
    }
    return (line, column)
}
