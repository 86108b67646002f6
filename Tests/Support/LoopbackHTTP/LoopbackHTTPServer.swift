import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on a 127.0.0.0/8 address and an ephemeral port, for tests and benchmarks.
///
/// POSIX sockets and one thread per connection (no async); keep-alive; records every request and the peak
/// number of concurrent connections and requests. Client disconnects are ignored (`MSG_NOSIGNAL`, SIGPIPE off).
public final class LoopbackHTTPServer: @unchecked Sendable {
    private struct State {
        var routes: [String: LoopbackRoute]
        var fallback: LoopbackRoute?
        var connections = 0
        var openConnections: Set<Int32> = []
        var maxOpenConnections = 0
        var inFlight = 0
        var maxInFlight = 0
        var requestsByPath: [String: Int] = [:]
        var log: [LoopbackRequest] = []
        var stopped = false
    }

    /// The bound address, e.g. `127.0.0.1`.
    public let host: String
    /// The ephemeral port the kernel assigned.
    public let port: Int
    private let listener: Int32
    private let state: Mutex<State>

    /// `http://host:port`, without a trailing slash.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Binds `host` (which must be in 127.0.0.0/8) on an ephemeral port and starts accepting.
    public init(host: String = "127.0.0.1", routes: [String: LoopbackRoute] = [:]) throws(LoopbackServerError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1,
            withUnsafeBytes(of: address.sin_addr, { $0[0] }) == 127
        else { throw .notLoopback(host) }
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .socket(call: "socket", errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .socket(call: "bind", errno: code)
        }
        guard listen(fd, 512) == 0 else {
            let code = errno
            close(fd)
            throw .socket(call: "listen", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = fd
        self.state = Mutex(State(routes: routes))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http.accept"
        thread.start()
    }

    /// `baseURL` followed by `path` (which starts with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    /// Serves `route` at `path` (exact match on the request target).
    public func setRoute(_ path: String, _ route: LoopbackRoute) {
        state.withLock { $0.routes[path] = route }
    }

    /// Serves `route` for every path without its own route (404 when nil).
    public func setFallback(_ route: LoopbackRoute?) {
        state.withLock { $0.fallback = route }
    }

    /// Connections accepted so far.
    public var connectionCount: Int { state.withLock { $0.connections } }
    /// Most connections open at the same time.
    public var maxConcurrentConnections: Int { state.withLock { $0.maxOpenConnections } }
    /// Most requests being answered at the same time.
    public var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }
    /// Requests being answered right now.
    public var requestsInFlight: Int { state.withLock { $0.inFlight } }
    /// Requests received so far, all paths.
    public var requestCount: Int { state.withLock { $0.log.count } }

    /// Requests received for `path`.
    public func requestCount(path: String) -> Int { state.withLock { $0.requestsByPath[path, default: 0] } }

    /// The requests received for `path`, in arrival order.
    public func requests(path: String) -> [LoopbackRequest] {
        state.withLock { $0.log.filter { $0.path == path } }
    }

    /// Every request received, in arrival order.
    public var receivedRequests: [LoopbackRequest] { state.withLock { $0.log } }

    /// Stops accepting and shuts every open connection down; idempotent.
    public func stop() {
        let open: Set<Int32>? = state.withLock { box in
            if box.stopped { return nil }
            box.stopped = true
            for fd in box.openConnections { shutdown(fd, Int32(SHUT_RDWR)) }
            return box.openConnections
        }
        guard open != nil else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR && !isStopped { continue }
                break
            }
            let admitted = state.withLock { box -> Bool in
                if box.stopped { return false }
                box.connections += 1
                box.openConnections.insert(fd)
                box.maxOpenConnections = max(box.maxOpenConnections, box.openConnections.count)
                return true
            }
            guard admitted else {
                close(fd)
                break
            }
            var noDelay: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(fd) }
            thread.name = "loopback-http.connection"
            thread.start()
        }
        close(listener)
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        while let request = readRequest(fd, &buffer) {
            let route = state.withLock { box -> LoopbackRoute? in
                box.log.append(request)
                box.requestsByPath[request.path, default: 0] += 1
                box.inFlight += 1
                box.maxInFlight = max(box.maxInFlight, box.inFlight)
                let route = box.routes[request.path] ?? box.fallback
                if case .sequence(let routes)? = route, !routes.isEmpty {
                    return routes[min(box.requestsByPath[request.path, default: 1], routes.count) - 1]
                }
                return route
            }
            let keepOpen = answer(fd, request, route ?? .respond(status: 404, body: Array("not found\n".utf8)))
            state.withLock { $0.inFlight -= 1 }
            let clientCloses = request.header("Connection")?.lowercased() == "close"
            if !keepOpen || clientCloses || isStopped { break }
        }
        state.withLock { box in
            box.openConnections.remove(fd)
            close(fd)
        }
    }

    /// Writes the response; false when the connection must close afterwards.
    private func answer(_ fd: Int32, _ request: LoopbackRequest, _ route: LoopbackRoute) -> Bool {
        switch route {
        case .respond(let status, let headers, let body):
            return send(fd, head(status, headers + [("Content-Length", "\(body.count)")]) + body)
        case .redirect(let status, let location):
            return send(fd, head(status, [("Location", location), ("Content-Length", "0")]))
        case .chunked(let bytes, let chunkSize):
            return send(fd, head(200, [("Transfer-Encoding", "chunked")])) && sendChunked(fd, bytes, chunkSize)
        case .lyingLength(let claimed, let actual):
            let headers = [("Content-Length", "\(claimed)"), ("Transfer-Encoding", "chunked")]
            return send(fd, head(200, headers)) && sendChunked(fd, actual, 4096)
        case .unframed(let bytes):
            _ = send(fd, head(200, [("Connection", "close")])) && send(fd, [UInt8](repeating: 0x78, count: bytes))
            return false
        case .trickle(let bytes, let interval):
            guard send(fd, head(200, [("Content-Length", "\(bytes)")])) else { return false }
            for _ in 0..<bytes {
                Thread.sleep(forTimeInterval: interval)
                if isStopped || !send(fd, [0x78]) { return false }
            }
            return true
        case .conditional(let etag, let lastModified, let body):
            let validators = [("ETag", etag), ("Last-Modified", lastModified)]
            let matchesTag = request.header("If-None-Match").map { header in
                header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
            }
            let matchesDate = request.header("If-Modified-Since") == lastModified
            if matchesTag ?? matchesDate {
                return send(fd, head(304, validators))
            }
            return send(fd, head(200, validators + [("Content-Length", "\(body.count)")]) + body)
        case .gzip(let compressed, let contentType, let chunked):
            let headers = [("Content-Type", contentType), ("Content-Encoding", "gzip")]
            if chunked {
                return send(fd, head(200, headers + [("Transfer-Encoding", "chunked")]))
                    && sendChunked(fd, compressed, 4096)
            }
            return send(fd, head(200, headers + [("Content-Length", "\(compressed.count)")]) + compressed)
        case .delayed(let seconds, let then):
            Thread.sleep(forTimeInterval: seconds)
            return answer(fd, request, then)
        case .held(let gate, let then):
            gate.wait()
            return answer(fd, request, then)
        case .sequence(let routes):
            return answer(fd, request, routes.last ?? .respond(status: 404, body: Array("not found\n".utf8)))
        }
    }

    private func head(_ status: Int, _ headers: [(String, String)]) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    private func sendChunked(_ fd: Int32, _ bytes: Int, _ chunkSize: Int) -> Bool {
        sendChunked(fd, [UInt8](repeating: 0x78, count: bytes), chunkSize)
    }

    private func sendChunked(_ fd: Int32, _ body: [UInt8], _ chunkSize: Int) -> Bool {
        var offset = 0
        while offset < body.count {
            let size = min(body.count - offset, max(1, chunkSize))
            let chunk = Array(String(size, radix: 16).utf8) + [13, 10] + body[offset..<offset + size] + [13, 10]
            guard send(fd, chunk) else { return false }
            offset += size
        }
        return send(fd, Array("0\r\n\r\n".utf8))
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Reads one request head (and discards a `Content-Length` body); nil when the client is gone.
    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> LoopbackRequest? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while true {
            if let found = buffer.firstRange(of: terminator) {
                headEnd = found.upperBound
                break
            }
            guard buffer.count < 65_536, receive(fd, &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let headText = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var request = LoopbackRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers)
        if let length = request.header("Content-Length").flatMap(Int.init), length > 0 {
            while buffer.count < length {
                guard receive(fd, &buffer) else { return nil }
            }
            request.body = Array(buffer.prefix(length))
            buffer.removeFirst(length)
        }
        return request
    }

    private func receive(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
