/// Steps of a stage's scans (bytes looked at, tokens read, entries compared), counted in debug
/// builds only, for the tests that check a stage's work grows linearly with its input: at 4x the
/// input, about 4x the steps. Release builds count nothing.
public final class WorkCounter: @unchecked Sendable {
    public var steps = 0

    public init() {}

    #if DEBUG
    /// The counter of the work being measured (nil: nothing is counted).
    @TaskLocal public static var current: WorkCounter?
    #endif

    /// Adds `n` steps to the counter being measured, if any (nothing in release builds).
    @inlinable @inline(__always) public static func add(_ n: Int) {
        #if DEBUG
        current?.steps += n
        #endif
    }
}
