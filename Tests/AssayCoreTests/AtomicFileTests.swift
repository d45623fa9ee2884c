import Foundation
import Testing

@testable import AssayCore

/// The atomic output file: what is read back after `commit` is exactly what was written, also when
/// the writing crossed the points where stretches are handed to the disk early (`Writeback.step`),
/// and nothing is left under the temporary name.
@Suite struct AtomicFileTests {
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aLargeFileReadsBackAsWritten() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out.jsonl"
        let file = try AtomicFile(path)
        // pieces of uneven sizes (one larger than a step), each starting with its own byte
        let sizes = [1, 700_000, Writeback.step + 3, 5_000_000, 1_234_567, Writeback.step - 1, 10]
        // a prime-length pattern: a byte out of place reads back different
        let pattern = (0..<65_521).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var expected: [UInt8] = []
        for (k, size) in sizes.enumerated() {
            var piece: [UInt8] = [UInt8(k)]
            while piece.count < size { piece += pattern.prefix(size - piece.count) }
            try file.write(piece)
            expected += piece
        }
        #expect(expected.count > 2 * Writeback.step)
        #expect(!FileManager.default.fileExists(atPath: path))  // not before commit
        try file.commit()
        let read = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(read.count == expected.count)
        // (not `#expect(read == expected)`: a failure would print 24 MB)
        let same = read == expected
        #expect(same)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.jsonl"])
    }

    @Test func anAbortedFileLeavesNothing() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try AtomicFile(dir + "/out.jsonl")
        try file.write([UInt8](repeating: 0x41, count: Writeback.step + 1))
        file.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
