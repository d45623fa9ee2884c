import Testing
@testable import Ingest

// A placeholder names its run with four index digits (A-Z a-z 0-9 - _): every digit must read back
// as the run it was written for, or the page's text would come out of the wrong runs.

@Test func placeholderIndicesReadBackEveryDigit() {
    // 4,200 runs: the last digit takes all 64 values, the one before it the first 66.
    let paragraphs = 4_200
    var html = "<html><head><title>Runs</title></head><body><article><h1>Many runs</h1>"
    for k in 0..<paragraphs {
        html += "<p>Paragraph \(k) of the page, long enough to be kept out of the parser.</p>\n"
    }
    let bytes = Array((html + "</article></body></html>").utf8)
    // Every placeholder landed and was read back (else the page is parsed as it is, with no runs).
    let landed = bytes.withUnsafeBufferPointer { source in
        HTMLExtractor.parse(source, replacingRuns: true)?.1.runs.count ?? 0
    }
    #expect(landed == paragraphs)
    // And each read back as its own run (compared as a whole: a failure would print both texts).
    let fast = HTMLExtractor.extract(utf8: bytes, replacingRuns: true)
    let plain = HTMLExtractor.extract(utf8: bytes, replacingRuns: false)
    let sameText = fast.bytes == plain.bytes && fast.map == plain.map
    #expect(sameText)
}
