import Foundation

/// The executables of the build the running tests belong to.
public enum BuiltBinary {
    /// The package's root folder.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable `name` next to the test bundle (any `--scratch-path`), else in `.build/debug/` (built by
    /// `make test` before the tests run).
    public static func path(_ name: String) -> String {
        let starts = [Bundle.main.executableURL, CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }].compactMap { $0 }
        for start in starts {
            var folder = start.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                folder.deleteLastPathComponent()
            }
        }
        return packageRoot.appendingPathComponent(".build/debug/\(name)").path
    }
}
