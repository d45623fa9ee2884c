import AssayCore
import Foundation
import Testing

@testable import Pipeline

#if canImport(Glibc)
import Glibc
#endif

/// Inputs that are pipes (`assay run <(zcat report.txt.gz)`): no size to read by.
@Suite struct StreamInputTests {
    /// A pipe whose writer, on a thread of its own, writes `bytes` and closes it; the pipe is read
    /// through its `/dev/fd` path, as a shell's process substitution names it.
    private func readThroughPipe(_ bytes: [UInt8], limit: Int) -> Result<[UInt8], InputError> {
        // (when the reader refuses the input and closes the pipe, the writer gets EPIPE, not a signal
        // that would end the test process)
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let written = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var at = 0
            while at < bytes.count {
                let n = bytes[at...].withUnsafeBytes { write(writeEnd, $0.baseAddress!, $0.count) }
                if n <= 0 { break }  // (the reader gave up: too large)
                at += n
            }
            close(writeEnd)
            written.signal()
        }
        let result = InputCollector.read("/dev/fd/\(readEnd)", limit: limit)
        close(readEnd)
        written.wait()
        return result
    }

    @Test func aPipeIsReadToItsEnd() throws {
        // Several reads' worth (the pipe holds 64 KB), with every byte value, in order.
        let bytes = (0..<200_003).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let result = readThroughPipe(bytes, limit: 1 << 20)
        #expect(try result.get() == bytes)
    }

    @Test func anEmptyPipeIsEmpty() throws {
        #expect(try readThroughPipe([], limit: 10).get() == [])
    }

    @Test func aPipeLongerThanTheLimitIsRefused() {
        let result = readThroughPipe([UInt8](repeating: 0x61, count: 150_000), limit: 100_000)
        guard case .failure(let e) = result else { Issue.record("expected a failure"); return }
        #expect(e.kind == .tooLarge)
        #expect(e.message == "read past 100000 bytes, the pipeline's ingest.maxBytes")
    }

    @Test func aPipeOfExactlyTheLimitIsRead() throws {
        let bytes = [UInt8](repeating: 0x62, count: 70_000)
        #expect(try readThroughPipe(bytes, limit: 70_000).get() == bytes)
    }
}
