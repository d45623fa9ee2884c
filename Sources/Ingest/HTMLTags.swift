// Tag classification for the HTML extractor: byte-level, one dictionary lookup per element,
// no String per node. libxml2's HTML parser lowercases element names.

/// The element kinds the extractor distinguishes. Anything else is `.other` (a block container).
enum HTag: UInt8 {
    case other = 0
    // Phrasing (inline) content.
    case a, abbr, acronym, b, bdi, bdo, big, br, cite, code, data, del, dfn, em, font, i, img, ins,
         kbd, label, mark, nobr, q, s, samp, small, span, strike, strong, sub, sup, time, tt, u,
         var_, wbr, picture, source
    // Block content.
    case p, div, section, article, main, header, footer, nav, aside, h1, h2, h3, h4, h5, h6,
         ul, ol, li, dl, dt, dd, table, thead, tbody, tfoot, tr, td, th, caption, colgroup, col,
         blockquote, pre, figure, figcaption, address, hr, form, fieldset, legend, center,
         details, summary, menu, body, html, hgroup
    // Never content: the element and everything inside it is skipped.
    case script, style, noscript, template, svg, math, button, select, option, optgroup, input,
         textarea, iframe, frame, frameset, object, embed, canvas, video, audio, map, dialog,
         head, title, meta, link, base, param, track, area, datalist, output, progress, meter

    var isInline: Bool { rawValue >= HTag.a.rawValue && rawValue <= HTag.source.rawValue }
    var isSkipped: Bool { rawValue >= HTag.script.rawValue }
    var headingLevel: Int {
        switch self {
        case .h1: return 1
        case .h2: return 2
        case .h3: return 3
        case .h4: return 4
        case .h5: return 5
        case .h6: return 6
        default: return 0
        }
    }
    var isHeading: Bool { rawValue >= HTag.h1.rawValue && rawValue <= HTag.h6.rawValue }
    var isEmphasis: Bool { self == .i || self == .em || self == .cite }
    var isList: Bool { self == .ul || self == .ol || self == .menu || self == .dl }
    /// Table-structure elements (these never make a table a layout table).
    var isTablePart: Bool {
        switch self {
        case .table, .thead, .tbody, .tfoot, .tr, .td, .th, .caption, .colgroup, .col: return true
        default: return false
        }
    }

    /// Classifies a NUL-terminated element name.
    static func classify(_ name: UnsafePointer<UInt8>?) -> HTag {
        guard let name else { return .other }
        var key: UInt64 = 0
        var i = 0
        while i < 8 {
            let c = name[i]
            if c == 0 { break }
            key |= UInt64(c) << UInt64(8 * i)
            i += 1
        }
        if i == 8 && name[8] != 0 {
            // Longer than 8 bytes: only a few names matter.
            if matches(name, "blockquote") { return .blockquote }
            if matches(name, "figcaption") { return .figcaption }
            return .other
        }
        let slots = nameSlots
        var slot = nameSlot(key)
        while true {
            let entry = slots[slot]
            if entry.key == key { return entry.tag }
            if entry.key == 0 { return .other }
            slot = (slot + 1) & 255
        }
    }

    /// Where a packed name's probe starts in `nameSlots` (a multiplicative hash: its top byte).
    @inline(__always) private static func nameSlot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    private static func matches(_ name: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let p = s.utf8Start
        let n = s.utf8CodeUnitCount
        for k in 0..<n where name[k] != p[k] { return false }
        return name[n] == 0
    }

    private static func pack(_ s: String) -> UInt64 {
        var key: UInt64 = 0
        for (k, c) in s.utf8.enumerated() { key |= UInt64(c) << UInt64(8 * k) }
        return key
    }

    /// The names packed into words, in 256 slots probed in turn from `nameSlot` (an empty slot,
    /// key 0, ends a probe): a lookup costs a multiply and a compare or two, not a hashed Dictionary's.
    private static let nameSlots: [(key: UInt64, tag: HTag)] = {
        let names: [(String, HTag)] = [
            ("a", .a), ("abbr", .abbr), ("acronym", .acronym), ("b", .b), ("bdi", .bdi), ("bdo", .bdo),
            ("big", .big), ("br", .br), ("cite", .cite), ("code", .code), ("data", .data), ("del", .del),
            ("dfn", .dfn), ("em", .em), ("font", .font), ("i", .i), ("img", .img), ("ins", .ins),
            ("kbd", .kbd), ("label", .label), ("mark", .mark), ("nobr", .nobr), ("q", .q), ("s", .s),
            ("samp", .samp), ("small", .small), ("span", .span), ("strike", .strike), ("strong", .strong),
            ("sub", .sub), ("sup", .sup), ("time", .time), ("tt", .tt), ("u", .u), ("var", .var_),
            ("wbr", .wbr), ("picture", .picture), ("source", .source),
            ("p", .p), ("div", .div), ("section", .section), ("article", .article), ("main", .main),
            ("header", .header), ("footer", .footer), ("nav", .nav), ("aside", .aside),
            ("h1", .h1), ("h2", .h2), ("h3", .h3), ("h4", .h4), ("h5", .h5), ("h6", .h6),
            ("ul", .ul), ("ol", .ol), ("li", .li), ("dl", .dl), ("dt", .dt), ("dd", .dd),
            ("table", .table), ("thead", .thead), ("tbody", .tbody), ("tfoot", .tfoot), ("tr", .tr),
            ("td", .td), ("th", .th), ("caption", .caption), ("colgroup", .colgroup), ("col", .col),
            ("pre", .pre), ("figure", .figure), ("address", .address), ("hr", .hr), ("form", .form),
            ("fieldset", .fieldset), ("legend", .legend), ("center", .center), ("details", .details),
            ("summary", .summary), ("menu", .menu), ("body", .body), ("html", .html), ("hgroup", .hgroup),
            ("script", .script), ("style", .style), ("noscript", .noscript), ("template", .template),
            ("svg", .svg), ("math", .math), ("button", .button), ("select", .select), ("option", .option),
            ("optgroup", .optgroup), ("input", .input), ("textarea", .textarea), ("iframe", .iframe),
            ("frame", .frame), ("frameset", .frameset), ("object", .object), ("embed", .embed),
            ("canvas", .canvas), ("video", .video), ("audio", .audio), ("map", .map), ("dialog", .dialog),
            ("head", .head), ("title", .title), ("meta", .meta), ("link", .link), ("base", .base),
            ("param", .param), ("track", .track), ("area", .area), ("datalist", .datalist),
            ("output", .output), ("progress", .progress), ("meter", .meter),
        ]
        var slots = [(key: UInt64, tag: HTag)](repeating: (0, .other), count: 256)
        for (n, tag) in names {
            var slot = nameSlot(pack(n))
            while slots[slot].key != 0 { slot = (slot + 1) & 255 }
            slots[slot] = (pack(n), tag)
        }
        return slots
    }()
}
