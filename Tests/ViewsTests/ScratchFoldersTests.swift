import Foundation
import Testing
import Views

/// `scratch(_:)` folders are gone when the test that made them ends, also when it throws, and
/// `scratch(_:)` refuses to make one that nothing would remove.
@Suite struct ScratchFoldersTests {
    struct Stop: Error {}

    @Test func foldersAreRemovedWhenTheTestEndsAlsoByAnError() async throws {
        let test = try #require(Test.current)
        let made = ScratchFolders.Made()  // (here only a list of what the scopes made)
        try await ScratchFolders().provideScope(for: test, testCase: nil) {
            let dir = try scratch("scratch-passes")
            try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/sub/file.txt"))
            #expect(FileManager.default.fileExists(atPath: dir + "/sub/file.txt"))
            made.add(dir)
        }
        await #expect(throws: Stop.self) {
            try await ScratchFolders().provideScope(for: test, testCase: nil) {
                let dir = try scratch("scratch-throws")
                try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file.txt"))
                #expect(FileManager.default.fileExists(atPath: dir + "/file.txt"))
                made.add(dir)
                throw Stop()
            }
        }
        #expect(made.list().count == 2)
        for dir in made.list() { #expect(!FileManager.default.fileExists(atPath: dir), "\(dir)") }
    }

    @Test func scratchOutsideAScopeIsAnError() {
        #expect(ScratchFolders.current == nil)  // this suite does not carry the trait
        #expect(throws: ViewError.self) { try scratch("scratch-outside") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-views-scratch-outside-\(getpid())")
        #expect(!FileManager.default.fileExists(atPath: dir.path))
    }
}
