import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bad input becomes an error for its document, but a bug in assay (a trap: an index out of range)
/// stops the whole process. Then the user should learn which documents were being processed, and
/// no half-written output should stay behind. The signal handler below does only that, with
/// async-signal-safe calls (write, unlink, sigaction) on memory prepared beforehand, and then hands
/// the signal to the handler that was there before (Swift's backtracer, or the default).
public enum DocumentsInProgress {
    static let slotCount = 256
    /// The source of each document being processed (a C string), nil for a free slot.
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slotCount)
        p.initialize(repeating: nil, count: slotCount)
        return p
    }()
    private static let lock = NSLock()

    /// Marks `source` as being processed until `end(_:)` is called with the returned slot
    /// (nil when more documents are in flight than there are slots: that one goes unnamed).
    public static func begin(_ source: String) -> Int? {
        let name = strdup(source)
        lock.lock()
        defer { lock.unlock() }
        for i in 0..<slotCount where slots[i] == nil {
            slots[i] = name
            return i
        }
        free(name)
        return nil
    }

    public static func end(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        let name = slots[slot]
        slots[slot] = nil
        lock.unlock()
        free(name)
    }
}

public enum CrashCleanup {
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()
    private static let signals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV]
    /// The action each signal had before, restored by the handler so that it runs next.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.initialize(repeating: sigaction(), count: 65)
        return p
    }()

    /// Installs the handler once per process (before any document is processed).
    public static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        _ = DocumentsInProgress.slots
        _ = TemporaryFiles.paths
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = onCrash
            sigemptyset(&action.sa_mask)
            // On the thread's alternate stack when it has one (see withSignalStack).
            action.sa_flags = Int32(SA_ONSTACK)
            sigaction(sig, &action, previous + Int(sig))
        }
    }

    /// Runs `body` with an alternate stack for the crash handler on this thread: a recursion too
    /// deep for the thread's stack faults with no stack left to run a handler on, and would stop
    /// the process without naming the document or removing the partial output.
    public static func withSignalStack<R>(_ body: () throws -> R) rethrows -> R {
        let size = 64 * 1024
        let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: size)
        var before = stack_t()
        sigaltstack(&stack, &before)
        defer {
            sigaltstack(&before, nil)
            memory.deallocate()
        }
        return try body()
    }

    private static let onCrash: @convention(c) (Int32) -> Void = { sig in
        say("assay: stopped by a bug in assay (not by bad input) while these documents were in progress:\n")
        for i in 0..<DocumentsInProgress.slotCount {
            if let name = DocumentsInProgress.slots[i] {
                say("  ")
                _ = write(2, name, strlen(name))
                say("\n")
            }
        }
        say("assay: no partial output was left behind; please report this with the documents above.\n")
        TemporaryFiles.removeAll()
        // Returning re-raises the fault (or abort() raises again) under the previous action.
        sigaction(sig, previous + Int(sig), nil)
    }

    private static func say(_ s: StaticString) {
        _ = write(2, s.utf8Start, s.utf8CodeUnitCount)
    }
}
