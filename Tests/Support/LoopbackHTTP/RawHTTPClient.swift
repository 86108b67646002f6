import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response as read off the wire.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    public var text: String { String(decoding: body, as: UTF8.self) }

    public func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else { throw RawHTTPError("body is not a JSON object: \(text.prefix(200))") }
        return object
    }
}

public struct RawHTTPError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A minimal HTTP/1.1 client over one blocking TCP connection to 127.0.0.1, so tests control every byte sent
/// (methods, oversized targets and bodies, chunked encoding, several requests on one keep-alive connection).
/// Used by the server tests and the server benchmark; callers run it on threads of their own, never on Swift's
/// cooperative threads that a server under test also uses.
public final class RawHTTPConnection: @unchecked Sendable {
    public let descriptor: Int32
    private var buffer = Data()

    /// `timeoutSeconds` bounds each send and receive: a guard against a hung server, not a speed bound, so it is generous
    /// (a 1 s request queued behind a loaded machine's other tests took over 30 s once in CI).
    public init(port: Int, timeoutSeconds: Int = 180) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPError("socket() failed") }
        var timeout = timeval(tv_sec: Int(TestTime.bound(seconds: Double(timeoutSeconds)).rounded(.up)), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw RawHTTPError("cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(descriptor) }

    public func send(_ bytes: Data) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawHTTPError("send failed (errno \(errno))") }
            offset += sent
        }
    }

    /// Sends one request; `Host` and (with a body) `Content-Length` are added unless given.
    public func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: Data? = nil) throws -> RawHTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { head += "Host: 127.0.0.1\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body, !headers.contains(where: { ["content-length", "transfer-encoding"].contains($0.0.lowercased()) }) {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let body { bytes.append(body) }
        try send(bytes)
        return try readResponse(expectBody: method != "HEAD")
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw RawHTTPError(count == 0 ? "connection closed by the server" : "recv failed (errno \(errno))") }
        buffer.append(contentsOf: chunk[0..<count])
    }

    /// Reads a status line, headers and a `Content-Length` or chunked body.
    public func readResponse(expectBody: Bool = true) throws -> RawHTTPResponse {
        let separator = Data("\r\n\r\n".utf8)
        var headEnd = buffer.range(of: separator)
        while headEnd == nil {
            try fill()
            headEnd = buffer.range(of: separator)
        }
        let headText = String(decoding: buffer[buffer.startIndex..<headEnd!.lowerBound], as: UTF8.self)
        buffer = Data(buffer[headEnd!.upperBound...])
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else { throw RawHTTPError("bad status line in \(headText)") }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = RawHTTPResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Data())
        guard expectBody else { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            while buffer.count < length { try fill() }
            response.body = Data(buffer.prefix(length))
            buffer = Data(buffer.dropFirst(length))
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                var lineEnd = buffer.range(of: Data("\r\n".utf8))
                while lineEnd == nil { try fill(); lineEnd = buffer.range(of: Data("\r\n".utf8)) }
                let sizeText = String(decoding: buffer[buffer.startIndex..<lineEnd!.lowerBound], as: UTF8.self)
                buffer = Data(buffer[lineEnd!.upperBound...])
                guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { throw RawHTTPError("bad chunk size \(sizeText)") }
                while buffer.count < size + 2 { try fill() }
                response.body.append(buffer.prefix(size))
                buffer = Data(buffer.dropFirst(size + 2))
                if size == 0 { break }
            }
        }
        return response
    }
}

