import Foundation
import Testing

/// Every target depends only on what it imports: Package.swift's dependency list for a target and the `import`s of its
/// files name the same modules, so a layer is neither linked in unused nor reached through another target's list.
@Suite("declared dependencies")
struct DeclaredDependencyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Platform and toolchain modules every target may import without declaring them.
    static let platform: Set<String> = ["Foundation", "FoundationNetworking", "Darwin", "Glibc", "Musl", "Dispatch", "Synchronization", "Testing", "XCTest"]

    static var manifest: String {
        get throws { try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8) }
    }

    @Test("Storage's Package.swift dependencies are exactly the modules its files import")
    func storageDependenciesMatchImports() throws {
        let target = try #require(Self.targets(in: Self.manifest).first { $0.name == "Storage" })
        let imported = try Self.importedModules(under: Self.root.appendingPathComponent(target.folder))
        #expect(imported.contains("GRDB"), "the scan found Storage's files")
        #expect(target.dependencies.subtracting(imported).sorted() == [], "declared but never imported")
        #expect(imported.subtracting(target.dependencies).sorted() == [], "imported but not declared")
    }

    @Test("every Swift target's Package.swift dependencies are exactly the modules its files import")
    func everyTargetDependenciesMatchImports() throws {
        let targets = try Self.targets(in: Self.manifest)
        #expect(targets.count >= 30, "the manifest reader found the targets (\(targets.count))")
        for target in targets {
            let imported = try Self.importedModules(under: Self.root.appendingPathComponent(target.folder))
            #expect(target.dependencies.subtracting(imported).sorted() == [], "\(target.name): declared but never imported")
            #expect(imported.subtracting(target.dependencies).sorted() == [], "\(target.name): imported but not declared")
        }
    }

    @Test("the manifest reader takes target names and product names, not package names, and finds each target's folder")
    func readerTakesModuleNames() {
        let manifest = """
            .systemLibrary(name: "CThing", pkgConfig: "thing"),
            .target(name: "Other", dependencies: ["Nope"]),
            .target(name: "Storage", dependencies: [
                "Feeds", "Market",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
            .target(name: "Plain"),
            .target(name: "Support", dependencies: ["Storage"], path: "Tests/Support/Kit"),
            .executableTarget(name: "tool", dependencies: ["Storage"], resources: [.copy("x.json")]),
            .testTarget(name: "StorageTests", dependencies: ["Storage"]),
            """
        let targets = Self.targets(in: manifest)
        #expect(targets.map(\.name) == ["Other", "Storage", "Plain", "Support", "tool", "StorageTests"])
        #expect(targets.map(\.folder) == ["Sources/Other", "Sources/Storage", "Sources/Plain", "Tests/Support/Kit", "Sources/tool", "Tests/StorageTests"])
        #expect(targets[1].dependencies == ["Feeds", "Market", "GRDB"])
        #expect(targets[2].dependencies == [])
        #expect(targets[4].dependencies == ["Storage"])
    }

    @Test("an import inside a multi-line string (a Python script) is not a module the target imports")
    func importScanSkipsEmbeddedScripts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            import Foundation
            @testable import Storage
            import struct Market.Candle
            let script = \"\"\"
                import sys, json
                \"\"\"
            """.write(to: folder.appendingPathComponent("A.swift"), atomically: true, encoding: .utf8)
        #expect(try Self.importedModules(under: folder) == ["Storage", "Market"])
    }

    /// A Swift target of the manifest: its module name, its source folder and the modules it declares.
    struct Target {
        var name: String
        var folder: String
        var dependencies: Set<String>
    }

    /// Every `.target`, `.executableTarget` and `.testTarget` in the manifest (system libraries have no Swift files),
    /// with its folder (`path:`, else `Sources/name` or `Tests/name`) and the module names in its `dependencies: [ … ]`:
    /// quoted target names and `.product(name:)`s.
    static func targets(in manifest: String) -> [Target] {
        manifest.matches(of: /\.(target|executableTarget|testTarget)\(name: "([^"]+)"/).map { match in
            let declaration = balanced(manifest, from: match.range.upperBound, open: "(", close: ")")
            let dependencies = declaration.firstRange(of: "dependencies: [").map {
                balanced(declaration, from: $0.upperBound, open: "[", close: "]")
            } ?? ""
            var names = Set<String>()
            let products = /\.product\(name: "([^"]+)", package: "[^"]+"\)/
            for product in dependencies.matches(of: products) { names.insert(String(product.output.1)) }
            for target in dependencies.replacing(products, with: "").matches(of: /"([^"]+)"/) { names.insert(String(target.output.1)) }
            let name = String(match.output.2)
            let path = declaration.firstMatch(of: /path: "([^"]+)"/).map { String($0.output.1) }
            return Target(name: name, folder: path ?? "\(match.output.1 == "testTarget" ? "Tests" : "Sources")/\(name)", dependencies: names)
        }
    }

    /// The text from `start` up to the bracket that closes the one opened just before it.
    static func balanced(_ text: String, from start: String.Index, open: Character, close: Character) -> String {
        var depth = 1
        var end = start
        while depth > 0, end < text.endIndex {
            if text[end] == open { depth += 1 } else if text[end] == close { depth -= 1 }
            end = text.index(after: end)
        }
        return String(text[start..<end])
    }

    /// Every module named by an `import` line in the Swift files under `folder`, less the platform's.
    static func importedModules(under folder: URL) throws -> Set<String> {
        var modules = Set<String>()
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let declaration = /\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|var|let|protocol|typealias)\s+)?(\w+)(?:\.\w+)*\s*/
                if let match = line.wholeMatch(of: declaration) { modules.insert(String(match.output.1)) }
            }
        }
        return modules.subtracting(platform)
    }
}
