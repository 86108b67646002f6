import Foundation
import Testing

/// Storage depends only on what it imports: Package.swift's dependency list for the target and the `import`s of its
/// files name the same modules, so a layer is neither linked in unused nor reached through another target's list.
@Suite("Storage's declared dependencies")
struct DeclaredDependencyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Platform modules every target may import without declaring them.
    static let platform: Set<String> = ["Foundation", "Darwin", "Glibc", "Musl", "Dispatch", "Synchronization"]

    @Test("Storage's Package.swift dependencies are exactly the modules its files import")
    func storageDependenciesMatchImports() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = try #require(Self.declaredDependencies(of: "Storage", in: manifest))
        let imported = try Self.importedModules(under: Self.root.appendingPathComponent("Sources/Storage"))
        #expect(imported.contains("GRDB"), "the scan found Storage's files")
        #expect(declared.subtracting(imported).sorted() == [], "declared but never imported")
        #expect(imported.subtracting(declared).sorted() == [], "imported but not declared")
    }

    @Test("the manifest reader takes target names and product names, not package names")
    func readerTakesModuleNames() {
        let manifest = """
            .target(name: "Other", dependencies: ["Nope"]),
            .target(name: "Storage", dependencies: [
                "Feeds", "Market",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
            .target(name: "Next", dependencies: ["Never"]),
            """
        #expect(Self.declaredDependencies(of: "Storage", in: manifest) == ["Feeds", "Market", "GRDB"])
    }

    /// The module names in `.target(name: target, dependencies: [ … ])`: quoted target names and `.product(name:)`s.
    static func declaredDependencies(of target: String, in manifest: String) -> Set<String>? {
        guard let start = manifest.range(of: ".target(name: \"\(target)\", dependencies: [") else { return nil }
        var depth = 1
        var end = start.upperBound
        while depth > 0, end < manifest.endIndex {
            if manifest[end] == "[" { depth += 1 } else if manifest[end] == "]" { depth -= 1 }
            end = manifest.index(after: end)
        }
        let list = String(manifest[start.upperBound..<end])
        var names = Set<String>()
        let products = /\.product\(name: "([^"]+)", package: "[^"]+"\)/
        for match in list.matches(of: products) { names.insert(String(match.output.1)) }
        for match in list.replacing(products, with: "").matches(of: /"([^"]+)"/) { names.insert(String(match.output.1)) }
        return names
    }

    /// Every module named by an `import` line in the Swift files under `folder`, less the platform's.
    static func importedModules(under folder: URL) throws -> Set<String> {
        var modules = Set<String>()
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                if let match = line.wholeMatch(of: /\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|func|var|protocol)\s+)?(\w+).*/) {
                    modules.insert(String(match.output.1))
                }
            }
        }
        return modules.subtracting(platform)
    }
}
