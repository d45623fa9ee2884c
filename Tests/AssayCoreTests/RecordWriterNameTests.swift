import Testing

@testable import AssayCore

/// The enum values the record writer copies as constants must be their raw values byte for byte.
@Suite struct RecordWriterNameTests {
    @Test func entityTypesAreTheirRawValues() {
        for type in Entity.Kind.allCases {
            #expect(RecordWriter.name(type).description == type.rawValue)
        }
    }

    @Test func sectionKindsAreTheirRawValues() {
        let kinds: [Section.Kind] = [.title, .frontMatter, .abstract, .keywords, .heading, .body, .table, .references]
        for kind in kinds {
            #expect(RecordWriter.name(kind).description == kind.rawValue)
        }
    }

    @Test func citationStylesAreTheirRawValues() {
        for style in [Citation.Style.parenthetical, .narrative] {
            #expect(RecordWriter.name(style).description == style.rawValue)
        }
    }

    @Test func findingKindsAndSeveritiesAreTheirRawValues() {
        for kind in Finding.Kind.allCases {
            #expect(RecordWriter.name(kind).description == kind.rawValue)
        }
        for severity in Severity.allCases {
            #expect(RecordWriter.name(severity).description == severity.rawValue)
        }
    }

    @Test func plainValuesAreQuotedAfterACommaWhenDue() {
        var w = JSONWriter()
        w.beginObject()
        w.field("type", plain: "front-matter")
        w.field("style", plain: "")
        w.key("list")
        w.beginArray()
        w.string(plain: "a")
        w.string(plain: "bc")
        w.endArray()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"type":"front-matter","style":"","list":["a","bc"]}"#)
    }
}
