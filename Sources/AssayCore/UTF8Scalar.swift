/// Decoding one scalar from UTF-8 bytes, for the byte scanners of every stage.
public enum UTF8Scalar {
    /// The scalar starting at `i` and its length in bytes. The text is valid UTF-8 (ingest makes it
    /// so); a stray or truncated sequence decodes as U+FFFD of length 1.
    @inlinable @inline(__always)
    public static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (UInt32, Int) {
        let b0 = t[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 & 0xE0 == 0xC0, i + 1 < end { return ((UInt32(b0 & 0x1F) << 6) | UInt32(t[i + 1] & 0x3F), 2) }
        if b0 & 0xF0 == 0xE0, i + 2 < end {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(t[i + 1] & 0x3F) << 6) | UInt32(t[i + 2] & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < end {
            return ((UInt32(b0 & 0x07) << 18) | (UInt32(t[i + 1] & 0x3F) << 12) | (UInt32(t[i + 2] & 0x3F) << 6)
                | UInt32(t[i + 3] & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }
}
