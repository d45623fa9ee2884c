import AssayCore
import Pipeline

// assay-fuzz: libFuzzer feeds arbitrary bytes through the default pipeline and the record writer,
// looking for inputs that trap (an index out of range, a backwards range) instead of becoming a
// record or a per-document error. A trap would stop the whole batch, so every find is a bug.
//
// The file has no top-level code and no @main: libFuzzer brings its own main. An ordinary
// `swift build` therefore makes a binary that does nothing; build and run it like this:
//
//     swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
//         --product assay-fuzz --scratch-path .build-fuzz
//     mkdir -p /tmp/fuzz-corpus && cp corpus/seeds/* corpus/samples/* /tmp/fuzz-corpus/
//     SWIFT_BACKTRACE=enable=no .build-fuzz/release/assay-fuzz /tmp/fuzz-corpus \
//         -dict=Tests/Fixtures/fuzz.dict -max_len=16384 -max_total_time=600
//
// It reads `pipelines/default.yaml` from the working directory (or ASSAY_PIPELINE).

/// Built once: loading the gazetteers per input would leave no time for fuzzing.
let pipeline: Pipeline = {
    do { return try Pipeline.load(defaultPipelinePath()) } catch { fatalError("assay-fuzz: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneDocument(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if case .success(let document) = pipeline.process(source: "fuzz-input", bytes: bytes) {
        _ = RecordWriter.json(document)
    }
    return 0
}
