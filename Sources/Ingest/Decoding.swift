import AssayCore
import CByteScan
#if canImport(Glibc)
import Glibc
#endif

/// Turns input bytes into UTF-8, deciding the encoding from the bytes themselves:
/// a byte-order mark (UTF-8, UTF-16 LE/BE), valid UTF-8, a charset the document declares
/// (`<meta charset>`, `encoding="…"`), and Windows-1252 for anything else. Binary input
/// (NUL bytes, a known binary signature, many control characters) is an error, not garbage text.
public enum TextDecoding {
    public struct Decoded: Sendable {
        public var utf8: [UInt8]
        public var encoding: String
        /// Whether NFC could change the text (`Ingestion.mayChangeUnderNFC`).
        public var mayChangeUnderNFC: Bool

        init(utf8: [UInt8], encoding: String) {
            self.init(utf8: utf8, encoding: encoding, mayChangeUnderNFC: Ingestion.mayChangeUnderNFC(utf8))
        }

        init(utf8: [UInt8], encoding: String, mayChangeUnderNFC: Bool) {
            self.utf8 = utf8
            self.encoding = encoding
            self.mayChangeUnderNFC = mayChangeUnderNFC
        }
    }

    public static func decode(_ raw: [UInt8]) throws -> Decoded {
        if raw.isEmpty { throw InputError(.empty, "the file is empty") }
        if let kind = binarySignature(raw) { throw InputError(.notText, "not text: looks like \(kind)") }

        if raw.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try checked(Decoded(utf8: repairUTF8(raw[3...]), encoding: "UTF-8"))
        }
        if raw.starts(with: [0xFF, 0xFE]) { return try checked(Decoded(utf8: utf16(raw[2...], bigEndian: false), encoding: "UTF-16LE")) }
        if raw.starts(with: [0xFE, 0xFF]) { return try checked(Decoded(utf8: utf16(raw[2...], bigEndian: true), encoding: "UTF-16BE")) }

        let scan = scanUTF8(raw)
        let profile = scan.profile
        if profile.total > 0 {
            // UTF-16 without a mark: ASCII-range text leaves every other byte zero.
            let half = max(1, profile.sampled / 2)
            if profile.even * 10 >= half * 3, profile.odd * 20 < half {
                return try checked(Decoded(utf8: utf16(raw[...], bigEndian: true), encoding: "UTF-16BE"))
            }
            if profile.odd * 10 >= half * 3, profile.even * 20 < half {
                return try checked(Decoded(utf8: utf16(raw[...], bigEndian: false), encoding: "UTF-16LE"))
            }
            throw InputError(.notText, "not text: contains \(profile.total) NUL bytes in its first \(profile.sampled) bytes (binary data?)")
        }

        // The input is the output: its control characters are counted and its NFC quick check done already.
        if scan.valid {
            return try checked(Decoded(utf8: raw, encoding: "UTF-8", mayChangeUnderNFC: scan.mayChangeUnderNFC), controls: profile.controls)
        }

        if let declared = declaredCharset(raw) {
            let name = declared.lowercased()
            switch name {
            case "utf-8", "utf8":
                return try checked(Decoded(utf8: repairUTF8(raw[...]), encoding: "UTF-8"))
            case "windows-1252", "cp1252", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso-8859-15":
                // Browsers read all of these as Windows-1252 (WHATWG Encoding), and so do we.
                return try checked(Decoded(utf8: windows1252(raw), encoding: "windows-1252"))
            default:
                if let converted = iconvToUTF8(raw, from: declared) {
                    return try checked(Decoded(utf8: converted, encoding: declared))
                }
            }
        }
        return try checked(Decoded(utf8: windows1252(raw), encoding: "windows-1252"))
    }

    /// Rejects decoded text with many control characters: it was binary after all. (`counted`: their
    /// number in the first 64 KB when it is known already.)
    static func checked(_ d: Decoded, controls counted: Int? = nil) throws -> Decoded {
        let sampled = min(d.utf8.count, 65536)
        let controls = counted ?? controlProfile(d.utf8).controls
        if controls > 8, controls * 100 > sampled {
            throw InputError(.notText, "not text: \(controls) control characters in the first \(sampled) bytes after decoding as \(d.encoding)")
        }
        return d
    }

    static func binarySignature(_ raw: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            (Array("%PDF".utf8), "a PDF file"), ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or DOCX/ODT)"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"), (Array("GIF8".utf8), "a GIF image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"), ([0x1F, 0x8B], "gzip-compressed data"),
            ([0x7F, 0x45, 0x4C, 0x46], "an executable (ELF)"), ([0xD0, 0xCF, 0x11, 0xE0], "an old Office document"),
            (Array("SQLite format 3".utf8), "an SQLite database"),
        ]
        for (sig, name) in signatures where raw.starts(with: sig) { return name }
        return nil
    }

    /// In the first 64 KB: the NUL bytes at even and odd offsets (UTF-16 or binary data), and the
    /// control characters that plain text does not hold (binary data), in one pass.
    static func controlProfile(_ raw: [UInt8]) -> Profile {
        let n = min(raw.count, 65536)
        let (even, odd, controls) = raw.withUnsafeBufferPointer { s in
            var even = 0, odd = 0, controls = 0
            var i = 0
            while i < n {
                // Eight bytes at a time where none is below 0x20 but tab, line feed, form feed and
                // carriage return.
                if i + 8 <= n {
                    let w = ByteMask.word(s, i)
                    let low = ByteMask.below(w, 0x20)
                    if low == 0 || low & ~(ByteMask.equal(w, 0x09) | ByteMask.equal(w, 0x0A)
                                          | ByteMask.equal(w, 0x0C) | ByteMask.equal(w, 0x0D)) == 0 {
                        i += 8
                        continue
                    }
                }
                let b = s[i]
                if b == 0 { if i & 1 == 0 { even += 1 } else { odd += 1 } }
                if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != 0x0C { controls += 1 }
                i += 1
            }
            return (even, odd, controls)
        }
        return (even + odd, even, odd, n, controls)
    }

    typealias Profile = (total: Int, even: Int, odd: Int, sampled: Int, controls: Int)

    /// One pass over the input for what the decision needs when it is UTF-8: whether it is valid
    /// UTF-8, its `controlProfile` (from the same pass when it is valid), and whether NFC could change
    /// it (`Ingestion.mayChangeUnderNFC`, meaningful when it is valid). Quiet ASCII goes 64 bytes a step.
    static func scanUTF8(_ raw: [UInt8]) -> (valid: Bool, profile: Profile, mayChangeUnderNFC: Bool) {
        let sampled = min(raw.count, 65536)
        let scan: (valid: Bool, even: Int, odd: Int, controls: Int, nfc: Bool) = raw.withUnsafeBufferPointer { buf in
            var even = 0, odd = 0, controls = 0
            var mayChange = false
            var i = 0
            let n = buf.count
            while i < n {
                let b = buf[i]
                if b < 0x80 {
                    // ASCII text without controls but tab, line feed, form feed and carriage return
                    // (most of a text) needs no counting: C, 64 bytes a step.
                    let quiet = assay_quiet_ascii(buf.baseAddress! + i, n - i)
                    if quiet > 0 {
                        i += quiet
                        continue
                    }
                    if i < sampled {
                        if b == 0 { if i & 1 == 0 { even += 1 } else { odd += 1 } }
                        if b < 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != 0x0C { controls += 1 }
                    }
                    i += 1
                    continue
                }
                let len: Int
                if b & 0xE0 == 0xC0 { len = 2; if b < 0xC2 { return (false, 0, 0, 0, true) } }
                else if b & 0xF0 == 0xE0 { len = 3 }
                else if b & 0xF8 == 0xF0 { len = 4; if b > 0xF4 { return (false, 0, 0, 0, true) } }
                else { return (false, 0, 0, 0, true) }
                if i + len > n { return (false, 0, 0, 0, true) }
                for k in 1..<len where buf[i + k] & 0xC0 != 0x80 { return (false, 0, 0, 0, true) }
                if len == 3 {
                    let c = buf[i + 1]
                    if b == 0xE0 && c < 0xA0 { return (false, 0, 0, 0, true) }  // overlong
                    if b == 0xED && c >= 0xA0 { return (false, 0, 0, 0, true) }  // surrogate
                }
                if len == 4 {
                    let c = buf[i + 1]
                    if b == 0xF0 && c < 0x90 { return (false, 0, 0, 0, true) }
                    if b == 0xF4 && c >= 0x90 { return (false, 0, 0, 0, true) }
                }
                // U+0080-U+02FF (leads below 0xCC) hold no marks.
                if !mayChange, b >= 0xCC {
                    var v = UInt32(b) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
                    for k in 1..<len { v = v << 6 | UInt32(buf[i + k] & 0x3F) }
                    mayChange = Ingestion.scalarMayChangeUnderNFC(v)
                }
                i += len
            }
            return (true, even, odd, controls, mayChange)
        }
        // Not UTF-8: the profile still decides between UTF-16, binary data and a legacy charset.
        guard scan.valid else { return (false, controlProfile(raw), true) }
        return (true, (scan.even + scan.odd, scan.even, scan.odd, sampled, scan.controls), scan.nfc)
    }

    /// UTF-8 with invalid sequences replaced by U+FFFD.
    static func repairUTF8(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let s = String(decoding: bytes, as: UTF8.self)
        return Array(s.utf8)
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    public static func windows1252(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + raw.count / 8)
        for b in raw {
            if b < 0x80 { out.append(b); continue }
            let scalar = b < 0xA0 ? cp1252High[Int(b - 0x80)] : UInt32(b)
            appendUTF8(&out, scalar)
        }
        return out
    }

    static func appendUTF8(_ out: inout [UInt8], _ v: UInt32) {
        if v < 0x80 { out.append(UInt8(v)) }
        else if v < 0x800 { out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F))) }
        else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// The charset an HTML or XML document declares in its first 4 KB (`<meta charset=…>`,
    /// `content="text/html; charset=…"`, `<?xml … encoding="…"?>`).
    public static func declaredCharset(_ raw: [UInt8]) -> String? {
        let head = Array(raw.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for marker in [Array("charset=".utf8), Array("encoding=".utf8)] {
            var i = 0
            while let at = find(marker, in: head, from: i) {
                var j = at + marker.count
                while j < head.count, head[j] == 0x22 || head[j] == 0x27 || head[j] == 0x20 { j += 1 }
                var name: [UInt8] = []
                while j < head.count, name.count < 40 {
                    let c = head[j]
                    let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x3A
                    if !ok { break }
                    name.append(c)
                    j += 1
                }
                if !name.isEmpty { return String(decoding: name, as: UTF8.self) }
                i = at + 1
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func iconvToUTF8(_ raw: [UInt8], from charset: String) -> [UInt8]? {
        #if canImport(Glibc)
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = raw.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: raw.count * 4 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                while inLeft > 0 {
                    if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        if errno == EILSEQ || errno == EINVAL {
                            // Skip the byte it cannot convert and write U+FFFD for it.
                            inPtr = inPtr.map { $0 + 1 }
                            inLeft -= 1
                            for b: UInt8 in [0xEF, 0xBF, 0xBD] where outLeft > 0 {
                                outPtr?.pointee = CChar(bitPattern: b)
                                outPtr = outPtr.map { $0 + 1 }
                                outLeft -= 1
                            }
                        } else {
                            return false
                        }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
        return output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
        #else
        return nil
        #endif
    }
}
