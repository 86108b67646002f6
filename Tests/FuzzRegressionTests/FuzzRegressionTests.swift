import Foundation
import FuzzEntryPoints
import Testing

/// Replays the committed fuzz corpus and every crash reproducer through the fuzz entry points, so a fixed crash stays fixed.
///
/// A regression that traps crashes this test process; a broken invariant fails the row that names the file.
@Suite("fuzz corpus and crash regressions")
struct FuzzRegressionTests {
    /// `Tests/Fuzz`, found from this file so the test reads the committed folders, not a copy.
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The regular files in `kind/<target>/` (kind is `corpus` or `regressions`), sorted; none when the folder is absent.
    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target.name)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every target has a seed corpus")
    func everyTargetHasSeeds() {
        for target in FuzzTarget.all {
            #expect(!Self.inputs("corpus", target).isEmpty, "Tests/Fuzz/corpus/\(target.name) is empty or missing")
        }
    }

    @Test("corpus and regression inputs replay without a finding", arguments: FuzzTarget.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for file in Self.inputs("corpus", target) + Self.inputs("regressions", target) {
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "\(file.lastPathComponent)") { try target.run(bytes) }
        }
    }
}
