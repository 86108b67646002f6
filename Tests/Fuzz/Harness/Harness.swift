import FuzzEntryPoints
import Foundation

#if DIVERGENCE_FUZZ

// The libFuzzer build (`make fuzz`): libFuzzer calls `LLVMFuzzerTestOneInput` once per input. SwiftPM links an executable
// target's entry point as `<module>_main` (it aliases `main` to it), so the harness defines that symbol and hands control to
// libFuzzer's driver, after choosing the target from DIVERGENCE_FUZZ_TARGET or the corpus folder's name.

/// The target chosen before libFuzzer starts; set once, then only read.
nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// libFuzzer's callback: one input through the selected target; a broken invariant is a crash, as libFuzzer expects.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selectedTarget else { return 0 }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do { try target.run(bytes) } catch { fatalError(error.description) }
    return 0
}

/// libFuzzer's driver (flags, corpus folders, the fuzzing loop), called with this process's arguments.
///
/// Declared without a C header: it takes only pointers and returns an int, which pass the same way in the Swift and C
/// calling conventions on x86-64 and arm64.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The process entry point in the libFuzzer build.
@_cdecl("divergence_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let arguments = (0..<Int(max(argc, 0))).dropFirst().compactMap { argv?[$0].map { String(cString: $0) } }
    let name = ProcessInfo.processInfo.environment["DIVERGENCE_FUZZ_TARGET"]
        ?? arguments.first { !$0.hasPrefix("-") }.map { URL(fileURLWithPath: $0).lastPathComponent }
    guard let name, let target = FuzzTarget.named(name) else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("divergence-fuzz: set DIVERGENCE_FUZZ_TARGET or pass a corpus folder named for a target (\(names))\n".utf8))
        return 2
    }
    selectedTarget = target
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzzTestOneInput)
}

#else

/// Without `-DDIVERGENCE_FUZZ`: replays inputs through the same entry points, so a crash file can be debugged in an ordinary build.
///
/// `divergence-fuzz [TARGET] PATH...`: each PATH is a file or a folder of files; without TARGET, a file's folder names its
/// target (`Tests/Fuzz/corpus/feed/…`, `Tests/Fuzz/regressions/feed/…`).
@main
struct ReplayCommand {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard !arguments.isEmpty, !arguments.contains("-h"), !arguments.contains("--help") else {
            print("usage: divergence-fuzz [TARGET] PATH...   targets: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
            exit(arguments.isEmpty ? 2 : 0)
        }
        let fixed = FuzzTarget.named(arguments[0])
        if fixed != nil { arguments.removeFirst() }
        var replayed = 0
        var failures = 0
        for path in arguments {
            for file in files(at: path) {
                let folder = URL(fileURLWithPath: file).deletingLastPathComponent().lastPathComponent
                guard let target = fixed ?? FuzzTarget.named(folder) else {
                    FileHandle.standardError.write(Data("\(file): no target named '\(folder)'; pass one first\n".utf8))
                    failures += 1
                    continue
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("\(file): cannot be read\n".utf8))
                    failures += 1
                    continue
                }
                do { try target.run(Array(data)) } catch {
                    FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
                    failures += 1
                }
                replayed += 1
            }
        }
        print("replayed \(replayed) input(s), \(failures) failure(s)")
        exit(failures == 0 && replayed > 0 ? 0 : 1)
    }

    /// `path` itself, or the regular files in the folder `path`, sorted.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }
    }
}

#endif
