/// Character references in Markdown-like text (`&amp;`, `&#8212;`, `&#x2014;`). HTML pages are decoded
/// by libxml2; this covers the entities people type into Markdown.
enum HTMLEntities {
    static let named: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0, "ndash": 0x2013, "mdash": 0x2014,
        "hellip": 0x2026, "lsquo": 0x2018, "rsquo": 0x2019, "ldquo": 0x201C, "rdquo": 0x201D, "copy": 0xA9, "reg": 0xAE,
        "trade": 0x2122, "eacute": 0xE9, "egrave": 0xE8, "aacute": 0xE1, "agrave": 0xE0, "uuml": 0xFC, "ouml": 0xF6,
        "auml": 0xE4, "szlig": 0xDF, "ccedil": 0xE7, "ntilde": 0xF1, "iacute": 0xED, "oacute": 0xF3, "uacute": 0xFA,
        "sect": 0xA7, "para": 0xB6, "middot": 0xB7, "bull": 0x2022, "laquo": 0xAB, "raquo": 0xBB, "shy": 0xAD,
    ]

    /// Decodes the reference at `i`: its UTF-8 bytes and how many input bytes it took.
    static func decode(_ s: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> ([UInt8], Int)? {
        var j = i + 1
        var name: [UInt8] = []
        while j < end, j - i < 12, s[j] != 0x3B {
            name.append(s[j])
            j += 1
        }
        guard j < end, s[j] == 0x3B, !name.isEmpty else { return nil }
        var value: UInt32?
        if name[0] == 0x23 {  // #
            let digits = String(decoding: name.dropFirst(), as: UTF8.self)
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits)
            }
        } else {
            value = named[String(decoding: name, as: UTF8.self)]
        }
        guard let v = value, let scalar = Unicode.Scalar(v), v != 0 else { return nil }
        return (Array(String(Character(scalar)).utf8), j + 1 - i)
    }
}
