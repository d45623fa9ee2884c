/// Maps offsets in the normalized text back to the decoded input, so a finding can be shown at its
/// line and column in the file a person opened. Recorded while normalizing, never recovered by search.
///
/// Each segment says: normalized bytes from `textStart` on were copied from decoded-input bytes from
/// `sourceStart` on, one for one, until the next segment. Bytes the normalizer inserted (a space that
/// replaced a line break, a tab between table cells) get a segment of their own pointing at the
/// input bytes they stand for.
public struct SourceMap: Sendable, Equatable {
    // Stored where inlinable code can append to them: the builder's appends are inlined into the
    // normalizers (one call per run of text cost ~100 instructions across the module boundary).
    @usableFromInline var storedTextStarts: [Int] = []
    @usableFromInline var storedSourceStarts: [Int] = []
    public var textStarts: [Int] { storedTextStarts }
    public var sourceStarts: [Int] { storedSourceStarts }

    public init() {}

    /// Room for `count` segments, so that recording them does not regrow the arrays.
    init(reservingCapacity count: Int) {
        storedTextStarts.reserveCapacity(count)
        storedSourceStarts.reserveCapacity(count)
    }

    /// Called for every run the builder writes: inlined, and the last segment read once.
    @inlinable @inline(__always)
    mutating func add(textStart: Int, sourceStart: Int) {
        let n = storedTextStarts.count
        if n > 0 {
            let lastT = storedTextStarts[n - 1]
            if sourceStart - storedSourceStarts[n - 1] == textStart - lastT { return }  // continues the current segment
            if lastT == textStart {
                storedSourceStarts[n - 1] = sourceStart
                return
            }
        }
        storedTextStarts.append(textStart)
        storedSourceStarts.append(sourceStart)
    }

    /// The decoded-input byte offset the text byte `offset` came from.
    public func sourceOffset(forTextOffset offset: Int) -> Int {
        guard !storedTextStarts.isEmpty else { return offset }
        var lo = 0
        var hi = storedTextStarts.count - 1
        if offset < storedTextStarts[0] { return storedSourceStarts[0] }
        while lo < hi {  // last segment whose start <= offset
            let mid = (lo + hi + 1) / 2
            if storedTextStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return storedSourceStarts[lo] + (offset - storedTextStarts[lo])
    }
}

/// Builds the normalized text and its source map together.
public struct TextBuilder: Sendable {
    // Stored where the inlinable appends below can reach them (see `SourceMap`).
    @usableFromInline var storedBytes: [UInt8] = []
    @usableFromInline var storedMap = SourceMap()
    public var bytes: [UInt8] { storedBytes }
    public var map: SourceMap { storedMap }

    public init(capacity: Int = 0) {
        storedBytes.reserveCapacity(capacity)
        // About one segment per 256 bytes of text (a segment per line break or block in plain text,
        // more in HTML): most documents then never regrow the map.
        storedMap = SourceMap(reservingCapacity: capacity / 256)
    }

    @inlinable public var count: Int { storedBytes.count }
    public var last: UInt8? { storedBytes.last }

    /// Copies input bytes that start at `sourceOffset` in the decoded input.
    @inlinable @inline(__always)
    public mutating func append(_ chunk: UnsafeBufferPointer<UInt8>, sourceOffset: Int) {
        guard !chunk.isEmpty else { return }
        storedMap.add(textStart: storedBytes.count, sourceStart: sourceOffset)
        storedBytes.append(contentsOf: chunk)
    }

    public mutating func append(_ chunk: [UInt8], sourceOffset: Int) {
        chunk.withUnsafeBufferPointer { append($0, sourceOffset: sourceOffset) }
    }

    /// Appends one input byte.
    public mutating func append(byte: UInt8, sourceOffset: Int) {
        storedMap.add(textStart: storedBytes.count, sourceStart: sourceOffset)
        storedBytes.append(byte)
    }

    /// Appends bytes the normalizer made up (a joining space, a line break, a cell tab),
    /// standing for the input at `sourceOffset`.
    public mutating func appendSynthetic(_ chunk: [UInt8], sourceOffset: Int) {
        guard !chunk.isEmpty else { return }
        let start = storedBytes.count
        storedBytes.append(contentsOf: chunk)
        mapSynthetic(start: start, count: chunk.count, sourceOffset: sourceOffset)
    }

    /// Appends `count` copies of a made-up byte (a space, a tab, the line breaks between blocks)
    /// standing for the input at `sourceOffset`.
    @inlinable @inline(__always)
    public mutating func appendSynthetic(_ byte: UInt8, count: Int = 1, sourceOffset: Int) {
        guard count > 0 else { return }
        let start = storedBytes.count
        for _ in 0..<count { storedBytes.append(byte) }
        mapSynthetic(start: start, count: count, sourceOffset: sourceOffset)
    }

    /// A synthetic run maps every byte to the same input offset: give it its own segment and
    /// start a new one right after, so the next copied byte maps exactly again.
    @inlinable @inline(__always)
    mutating func mapSynthetic(start: Int, count: Int, sourceOffset: Int) {
        storedMap.add(textStart: start, sourceStart: sourceOffset)
        for i in 1..<count { storedMap.forceAdd(textStart: start + i, sourceStart: sourceOffset) }
    }

    /// Removes trailing bytes equal to `byte` (used to trim spaces at the end of a block).
    public mutating func trimTrailing(_ byte: UInt8) {
        while storedBytes.last == byte { storedBytes.removeLast() }
        storedMap.truncate(to: storedBytes.count)
    }

    public func finish() -> (bytes: [UInt8], map: SourceMap) { (storedBytes, storedMap) }
}

extension SourceMap {
    @inlinable
    mutating func forceAdd(textStart: Int, sourceStart: Int) {
        if let lastT = storedTextStarts.last, lastT == textStart {
            storedSourceStarts[storedSourceStarts.count - 1] = sourceStart
            return
        }
        storedTextStarts.append(textStart)
        storedSourceStarts.append(sourceStart)
    }

    mutating func truncate(to length: Int) {
        while let lastT = storedTextStarts.last, lastT >= length, storedTextStarts.count > 0 {
            storedTextStarts.removeLast()
            storedSourceStarts.removeLast()
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
