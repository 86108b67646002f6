import Foundation
import Settings

/// The config reader: TOML syntax, then `divergence.toml`'s keys and values.
enum ConfigTargets {
    /// Resolves relative source paths; nothing is read from it.
    static let baseDirectory = URL(fileURLWithPath: "/nonexistent/fuzz", isDirectory: true)

    /// `ConfigLoader.parse` (which runs `TOMLDocument.parse` first) throws `ConfigError` or returns a config.
    /// Like `ConfigLoader.load`, text that is not UTF-8 never reaches the parser.
    static func config(_ bytes: [UInt8]) throws(FuzzInvariantViolation) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        _ = try? ConfigLoader.parse(text, file: "fuzz.toml", baseDirectory: baseDirectory)
    }
}
