import Testing

@testable import AssayCore

/// `ByteSearch.contains`, the byte search the stages' ASCII paths share, against a plain reading.
@Suite struct ByteSearchTests {
    @Test func findsTheNeedleWhereverItIsAndNowhereElse() {
        let hay = Array("dr. phd, school of law".utf8)
        #expect(ByteSearch.contains(hay, Array("dr.".utf8)))  // at the start
        #expect(ByteSearch.contains(hay, Array("school of".utf8)))
        #expect(ByteSearch.contains(hay, Array("law".utf8)))  // at the end
        #expect(!ByteSearch.contains(hay, Array("laws".utf8)))  // runs past the end
        #expect(!ByteSearch.contains(hay, Array("phdd".utf8)))
        #expect(!ByteSearch.contains(hay, [UInt8]()))  // an empty needle occurs nowhere
        #expect(!ByteSearch.contains([UInt8](), Array("a".utf8)))
        #expect(ByteSearch.contains("Convention on the Rights".utf8, "Rights".utf8))  // any byte collections
        #expect(!ByteSearch.contains(hay[4...], Array("dr.".utf8)))  // a slice keeps its own bounds
    }
}
