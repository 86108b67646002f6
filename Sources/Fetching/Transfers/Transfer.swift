import CCurl
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One fetch in flight: the libcurl easy handle, its callbacks' state, and the continuation to resume.
///
/// Everything but `isCancelled` is touched only on the engine's driver thread once submitted.
final class Transfer: @unchecked Sendable {
    let request: FetchRequest
    let target: FetchTarget
    var continuation: CheckedContinuation<Result<FetchResponse, FetchError>, Never>?

    private let cancelFlag = Atomic<Bool>(false)
    private(set) var easy: UnsafeMutableRawPointer?
    private var requestHeaders: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var startedAt: ContinuousClock.Instant?

    fileprivate var body: [UInt8] = []
    fileprivate var exceededLimit: Int?
    fileprivate var blocked: (url: String, address: String)?
    fileprivate var hops: [(status: Int, url: String)] = []
    fileprivate var responseHeaders = ResponseHeaders()

    init(request: FetchRequest, target: FetchTarget) {
        self.request = request
        self.target = target
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        releaseHandle()
        errorBuffer.deallocate()
    }

    var isCancelled: Bool { cancelFlag.load(ordering: .acquiring) }

    /// Marks the transfer cancelled; the driver thread notices on its next pass or progress callback.
    func cancel() { cancelFlag.store(true, ordering: .releasing) }

    /// Creates and configures the easy handle; nil on success, the failure otherwise.
    func open() -> FetchError? {
        guard let handle = curl_easy_init() else {
            return .transport(url: request.url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_easy_init failed")
        }
        easy = handle
        startedAt = .now
        let policy = request.policy
        let protocols = FetchTarget.allowedSchemes(isLocalPath: request.isLocalPath).joined(separator: ",")
        let me = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = [
            divergence_curl_setopt_string(handle, CURLOPT_URL, target.url),
            divergence_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, protocols),
            divergence_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, protocols),
            divergence_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1),
            divergence_curl_setopt_long(handle, CURLOPT_MAXREDIRS, max(0, policy.maxRedirects)),
            divergence_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(policy.connectTimeout)),
            divergence_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(policy.totalTimeout)),
            divergence_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, max(0, policy.lowSpeedLimit)),
            divergence_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(policy.lowSpeedTime.rounded(.up)))),
            divergence_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(0, policy.maxCompressedBytes))),
            divergence_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
            divergence_curl_setopt_string(handle, CURLOPT_USERAGENT, policy.userAgent),
            divergence_curl_setopt_string(handle, CURLOPT_PROXY, ""),
            divergence_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            divergence_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            divergence_curl_setopt_write_callback(handle, receiveBody),
            divergence_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me),
            divergence_curl_setopt_header_callback(handle, receiveHeader),
            divergence_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me),
            divergence_curl_setopt_xferinfo_callback(handle, reportProgress),
            divergence_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me),
            divergence_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0),
            divergence_curl_setopt_opensocket_callback(handle, openScreenedSocket),
            divergence_curl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, me),
        ]
        for (name, value) in [("If-None-Match", request.etag), ("If-Modified-Since", request.lastModified)] {
            guard let value, !value.isEmpty, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { continue }
            requestHeaders = curl_slist_append(requestHeaders, "\(name): \(value)")
        }
        if let body = request.postBody {
            codes.append(divergence_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            codes.append(body.withUnsafeBytes { raw in divergence_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)) })
            requestHeaders = curl_slist_append(requestHeaders, "Content-Type: \(request.postContentType)")
        }
        if let requestHeaders {
            codes.append(divergence_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, requestHeaders))
        }
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            return .transport(url: request.url, code: Int(failed.rawValue), message: String(cString: curl_easy_strerror(failed)))
        }
        return nil
    }

    /// Frees the easy handle and header list (after it left the multi handle).
    func releaseHandle() {
        if let easy { curl_easy_cleanup(easy) }
        easy = nil
        if let requestHeaders { curl_slist_free_all(requestHeaders) }
        requestHeaders = nil
    }

    /// The outcome of a finished transfer, from the curl result code and what the callbacks saw.
    func outcome(code: CURLcode) -> Result<FetchResponse, FetchError> {
        let url = request.url
        if isCancelled { return .failure(.cancelled(url: url)) }
        if let blocked, code != CURLE_OK {
            return .failure(.blockedAddress(url: blocked.url, address: blocked.address))
        }
        if let exceededLimit { return .failure(.tooLarge(url: url, limit: exceededLimit)) }
        let elapsed = startedAt.map { Self.seconds(ContinuousClock.now - $0) } ?? 0
        switch code {
        case CURLE_OK:
            break
        case CURLE_UNSUPPORTED_PROTOCOL:
            let refused = info(CURLINFO_REDIRECT_URL) ?? info(CURLINFO_EFFECTIVE_URL) ?? url
            let scheme = refused.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? refused
            return .failure(.schemeNotAllowed(url: url, scheme: scheme))
        case CURLE_URL_MALFORMAT:
            return .failure(.invalidURL(url))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(.timedOut(url: url, seconds: elapsed))
        case CURLE_TOO_MANY_REDIRECTS:
            return .failure(.tooManyRedirects(url: url))
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(.tooLarge(url: url, limit: request.policy.maxCompressedBytes))
        case CURLE_FILE_COULDNT_READ_FILE where target.scheme == "file":
            let path = URL(string: url)?.path ?? url
            return .failure(.localFile(path: path, reason: Self.unreadableReason(path)))
        default:
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(.transport(url: url, code: Int(code.rawValue), message: message))
        }
        var status = 0
        if let easy { divergence_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
        if status == 0 && target.scheme == "file" { status = 200 }
        let retryAfter = responseHeaders.retryAfter.flatMap {
            HTTPDate.retryAfterSeconds($0, reference: responseHeaders.date.flatMap(HTTPDate.parse) ?? Date())
        }
        guard (200..<300).contains(status) || status == 304 else {
            return .failure(.httpStatus(url: url, status: status, retryAfter: retryAfter))
        }
        return .success(
            FetchResponse(
                status: status,
                finalURL: info(CURLINFO_EFFECTIVE_URL) ?? target.url,
                body: status == 304 ? [] : body,
                etag: responseHeaders.etag,
                lastModified: responseHeaders.lastModified,
                contentType: responseHeaders.contentType,
                retryAfter: retryAfter,
                permanentRedirect: permanentRedirect,
                elapsed: elapsed,
                maxAge: responseHeaders.cacheControl.flatMap(Self.maxAge)
            )
        )
    }

    /// The URL reached after the leading run of 301/308 hops, when there is at least one.
    private var permanentRedirect: String? {
        var index = 0
        while index < hops.count - 1 && (hops[index].status == 301 || hops[index].status == 308) {
            index += 1
        }
        return index > 0 ? hops[index].url : nil
    }

    fileprivate func info(_ key: CURLINFO) -> String? {
        guard let easy else { return nil }
        var value: UnsafePointer<CChar>?
        guard divergence_curl_getinfo_string(easy, key, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    fileprivate func recordHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            let fields = line.split(separator: " ", maxSplits: 2)
            guard fields.count >= 2, let status = Int(fields[1]), status >= 200 else { return }
            responseHeaders = ResponseHeaders()
            hops.append((status, info(CURLINFO_EFFECTIVE_URL) ?? target.url))
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch name {
        case "etag": responseHeaders.etag = value
        case "last-modified": responseHeaders.lastModified = value
        case "content-type": responseHeaders.contentType = value
        case "retry-after": responseHeaders.retryAfter = value
        case "date": responseHeaders.date = value
        case "cache-control": responseHeaders.cacheControl = value
        default: break
        }
    }

    /// `max-age=N` of a Cache-Control value; nil when absent or when `no-cache`/`no-store` forbid reuse.
    static func maxAge(_ cacheControl: String) -> TimeInterval? {
        let directives = cacheControl.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if directives.contains("no-cache") || directives.contains("no-store") { return nil }
        for directive in directives where directive.hasPrefix("max-age=") {
            if let seconds = Int(directive.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))), seconds > 0 { return TimeInterval(seconds) }
        }
        return nil
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return Int(min(seconds * 1000, Double(Int32.max)).rounded(.up))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Why a local file cannot be read, in a user's words.
    static func unreadableReason(_ path: String) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return "no such file" }
        if isFolder.boolValue { return "is a folder, not a file" }
        return FileManager.default.isReadableFile(atPath: path) ? "cannot be read" : "permission denied"
    }
}

/// Headers of the most recent response block (each redirect hop starts a new block).
private struct ResponseHeaders {
    var etag: String?
    var lastModified: String?
    var contentType: String?
    var retryAfter: String?
    var date: String?
    var cacheControl: String?
}

private func transfer(_ userdata: UnsafeMutableRawPointer?) -> Transfer? {
    userdata.map { Unmanaged<Transfer>.fromOpaque($0).takeUnretainedValue() }
}

/// Appends decoded body bytes, refusing (returning 0, which aborts the transfer) past `maxBytes`.
private let receiveBody: divergence_curl_data_callback = { buffer, size, count, userdata in
    guard let transfer = transfer(userdata), let buffer else { return 0 }
    let length = size * count
    let limit = transfer.request.policy.maxBytes
    guard transfer.body.count + length <= limit else {
        transfer.exceededLimit = limit
        return 0
    }
    transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
    return length
}

/// Records status lines (one per hop) and the validators and metadata of the final response.
private let receiveHeader: divergence_curl_data_callback = { buffer, size, count, userdata in
    guard let transfer = transfer(userdata), let buffer else { return 0 }
    let length = size * count
    let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
    let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
    transfer.recordHeaderLine(line)
    return length
}

/// Aborts on cancellation or when the bytes on the wire (or the announced length) pass `maxCompressedBytes`.
private let reportProgress: divergence_curl_xferinfo_callback = { userdata, downloadTotal, downloadNow, _, _ in
    guard let transfer = transfer(userdata) else { return 1 }
    if transfer.isCancelled { return 1 }
    let limit = transfer.request.policy.maxCompressedBytes
    if downloadNow > limit || downloadTotal > limit {
        transfer.exceededLimit = limit
        return 1
    }
    return 0
}

/// The SSRF guard: refuses, before any packet is sent, a socket to an internal address (every hop, every
/// resolved address), unless the policy allows private networks or lists that address.
private let openScreenedSocket: divergence_curl_opensocket_callback = { userdata, _, address in
    guard let transfer = transfer(userdata), let address else { return divergence_curl_socket_bad() }
    let family = address.pointee.family
    let policy = transfer.request.policy
    if !policy.allowPrivateNetwork {
        let screened = screenedAddress(family: family, address: divergence_curl_sockaddr_address(address))
        guard let screened, screened.isPublic || policy.allowedAddresses.contains(screened) else {
            transfer.blocked = (transfer.request.url, screened?.description ?? "address family \(family)")
            return divergence_curl_socket_bad()
        }
    }
    return socket(family, address.pointee.socktype, address.pointee.protocol)
}

private func screenedAddress(family: Int32, address: UnsafePointer<sockaddr>?) -> InternetAddress? {
    guard let address else { return nil }
    switch family {
    case AF_INET:
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
            withUnsafeBytes(of: v4.pointee.sin_addr) { InternetAddress(bytes: Array($0)) }
        }
    case AF_INET6:
        return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
            withUnsafeBytes(of: v6.pointee.sin6_addr) { InternetAddress(bytes: Array($0)) }
        }
    default:
        return nil
    }
}
