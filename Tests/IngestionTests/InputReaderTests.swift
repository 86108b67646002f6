import Foundation
import Ingestion
import Testing

@Suite("Local inputs of parse")
struct InputReaderTests {
    @Test("a file reads back byte for byte whatever its size; a missing path and a folder name the input and why")
    func localFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("divergence-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Empty, one byte, and past the 64 KiB a pipe is read in, with every byte value.
        for size in [0, 1, 200_001] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let path = folder.appendingPathComponent("f\(size).bin").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            guard case .success(let read) = InputReader.readLocal(path) else {
                Issue.record("\(path) was not read")
                continue
            }
            #expect(read.bytes == bytes, "\(size) bytes")
            #expect(read.contentType == nil)
        }
        for path in [folder.appendingPathComponent("absent.xml").path, folder.path] {
            guard case .failure(let error) = InputReader.readLocal(path) else {
                Issue.record("\(path) read as a file")
                continue
            }
            #expect(error.reason == "\(path): no such file or not readable")
        }
    }
}
