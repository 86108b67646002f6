import Foundation
import ServiceLifecycle
import Hummingbird
import HummingbirdCore
import JSONOutput
import Logging
import Market
import Reporting
import Scoring
import Settings
import Storage
import Synchronization

/// How the API server listens, authenticates and bounds its work.
public struct APIServerOptions: Sendable {
    /// Interface to bind; loopback unless the operator chooses otherwise.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one (reported by `RunningAPIServer.port`).
    public var port = 8080
    /// When set, every route but `/healthz` needs `Authorization: Bearer <token>`.
    public var token: BearerToken?
    /// How long the latest report is reused while the store is unchanged.
    public var latestReportTTL: Duration = .seconds(5)
    /// Longest request target (path and query) accepted, in bytes; longer gets 414.
    public var maxRequestTargetBytes = 4_096
    /// Largest request body accepted (the API is read-only; bodies are ignored); larger gets 413.
    public var maxRequestBodyBytes = 1_024
    /// Most points one `/v1/history` request may ask for (ten years of days).
    public var maxHistoryPoints = 3_660
    /// Largest `limit` of `/v1/documents`, and the default.
    public var maxDocuments = 1_000
    public var defaultDocuments = 50
    /// Store computations running at once, and requests allowed to wait for one before 503.
    public var concurrentComputations = 2
    public var waitingComputations = 64
    /// Open connections accepted at once; further connections wait in the listen backlog.
    public var maxConnections = 512
    /// An idle keep-alive connection is closed after this long.
    public var idleTimeout: Duration = .seconds(60)

    public init() {}
}

/// The read-only HTTP API over a store: the report, history, technicals, bullishness, documents, `/metrics`,
/// `/healthz` and the OpenAPI document. Every answer is computed from the store point-in-time; nothing is written.
public final class APIServer: Sendable {
    public let config: DivergenceConfig
    public let store: Store
    public let options: APIServerOptions
    let logger: Logger
    let changes: StoreChangeCounter
    /// The change counter as requests read it: shared reads on PostgreSQL (a round trip each), nil on SQLite (an
    /// in-process pragma, cheaper than handing it to another thread).
    let sharedChanges: SharedChangeReads?
    let latest: LatestReportCache
    let work: StoreWork
    let openAPIDocument: ByteBuffer
    let requests = Mutex<[RequestKey: Int]>([:])
    /// The clock for "now" (tests may pin it).
    let now: @Sendable () -> Date

    struct RequestKey: Hashable {
        var route: String
        var status: Int
    }

    /// A server for `store`; fails when the store cannot be opened for reading or the OpenAPI resource is missing.
    public init(config: DivergenceConfig, store: Store, options: APIServerOptions = APIServerOptions(), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.config = config
        self.store = store
        self.options = options
        self.logger = logger
        self.now = now
        changes = try StoreChangeCounter(store: store)
        if case .postgresql = store.location { sharedChanges = SharedChangeReads(changes) } else { sharedChanges = nil }
        latest = LatestReportCache(ttl: options.latestReportTTL)
        work = StoreWork(limit: options.concurrentComputations, maxWaiting: options.waitingComputations)
        openAPIDocument = ByteBuffer(bytes: try Self.openAPIData())
    }

    /// The OpenAPI 3.1 document describing every route (`Sources/Server/openapi.json`).
    public static func openAPIData() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "openapi.json is missing from the Server bundle"])
        }
        return try Data(contentsOf: url)
    }

    // MARK: Running

    /// Binds, then serves until the task is cancelled. `onListening` receives the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).run()
    }

    /// Binds, then serves until SIGINT or SIGTERM, finishing requests in flight (for `divergence serve`).
    public func runUntilSignalled(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }

    /// The server as a service, to run in a `ServiceGroup` beside others (e.g. the ingest scheduler of `serve --ingest-every`).
    public func service(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> any Service {
        application(onListening: onListening)
    }

    /// Starts serving in the background and returns once the port is bound (or throws why it could not bind).
    public func start() async throws -> RunningAPIServer {
        let bound = AsyncStream<Int>.makeStream()
        let task = Task {
            defer { bound.continuation.finish() }
            try await self.run { port in bound.continuation.yield(port) }
        }
        for await port in bound.stream {
            return RunningAPIServer(port: port, task: task)
        }
        _ = try await task.value
        throw CancellationError()
    }

    func application(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(options.idleTimeout.components.seconds))
        // The decoder's own limits sit above ours so oversized targets get our 414 with a JSON body: the request target
        // counts against the field size, and 128 KiB covers the 100 KB URLs clients and scanners send. Beyond that the
        // connection gets a bare 400 and is closed; at most 160 KiB of head is held per connection.
        http1.httpDecoder = .init(maxHeaderFieldSize: 128 * 1024, maxHeaderListSize: 160 * 1024, maxHeaderFieldCount: 100)
        let configuration = ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "divergence",
                                                     availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections))
        return Application(responder: Responder(server: self), server: .http1(configuration: http1), configuration: configuration,
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let server: APIServer

        func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
            await server.respond(to: request)
        }
    }

    // MARK: Requests

    /// Checks limits, the token, the route, the method and the parameters, in that order, then answers.
    func respond(to request: Request) async -> Response {
        var request = request
        let target = request.head.path ?? ""
        let route = APIRoute(rawValue: request.uri.path)
        var response: Response
        do {
            try await checkLimits(&request, target: target)
            if route?.requiresToken ?? true, let token = options.token, !Self.authorised(request, token: token) {
                if route == .dashboard, request.method == .get || request.method == .head {
                    return Self.html(Dashboard.loginPage(wrongToken: false), status: .unauthorized)
                }
                throw APIError(status: 401, message: "missing or wrong bearer token (send Authorization: Bearer <token>)")
            }
            guard let route else { throw APIError(status: 404, message: "no such route: \(QueryParameters.printable(request.uri.path)) (see /openapi.json)") }
            if route.acceptsPost {
                guard request.method == .post else { throw APIError(status: 405, message: "\(route.path) takes the login form by POST") }
                return try await login(&request)
            }
            guard request.method == .get || request.method == .head else {
                throw APIError(status: 405, message: "\(request.method.rawValue) is not allowed on \(route.path); this API is read-only (GET, HEAD)")
            }
            // The dashboard is a page, not an API call, and scrapers and probes add parameters of their own to /metrics
            // and /healthz: whatever is added to those URLs is ignored.
            let query = route == .dashboard || route.ignoresParameters ? try QueryParameters(nil, allowed: []) : try QueryParameters(request.uri.query, allowed: route.parameters)
            response = try await answer(route, query)
        } catch let error as APIError {
            response = Self.error(error)
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            response = Self.error(APIError(status: 500, message: "internal error; see the server log"))
        }
        switch response.status.code {
        case 401: response.headers[.wwwAuthenticate] = "Bearer realm=\"divergence\""
        case 405: response.headers[.allow] = route == .login ? "POST" : "GET, HEAD"
        case 503: response.headers[.retryAfter] = "1"
        default: break
        }
        let key = RequestKey(route: route?.metricLabel ?? "other", status: response.status.code)
        requests.withLock { $0[key, default: 0] += 1 }
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// True when the request carries the token: one `Authorization: Bearer` header, or the dashboard's login cookie.
    static func authorised(_ request: Request, token: BearerToken) -> Bool {
        if request.headers[values: .authorization].count == 1, token.accepts(authorization: request.headers[.authorization]) { return true }
        return request.headers[values: .cookie].contains { token.accepts(cookie: $0) }
    }

    /// The dashboard's login form: the right token sets the HttpOnly cookie and goes back to `/`; a wrong one shows the form again.
    func login(_ request: inout Request) async throws -> Response {
        guard let token = options.token else { return Response(status: .seeOther, headers: [.location: "/"]) }
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: options.maxRequestBodyBytes) } catch {
            throw APIError(status: 413, message: "the login form is larger than \(options.maxRequestBodyBytes) bytes")
        }
        let form = QueryParameters.formFields(String(buffer: body))
        guard let offered = form["token"], token.accepts(token: offered) else {
            return Self.html(Dashboard.loginPage(wrongToken: true), status: .unauthorized)
        }
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: token.cookie, .cacheControl: "no-store"])
    }

    /// 414 for a long request target, 413 for a body larger than the limit (declared or streamed).
    func checkLimits(_ request: inout Request, target: String) async throws(APIError) {
        if target.utf8.count > options.maxRequestTargetBytes {
            throw APIError(status: 414, message: "the request target is longer than \(options.maxRequestTargetBytes) bytes")
        }
        let tooLarge = APIError(status: 413, message: "request bodies larger than \(options.maxRequestBodyBytes) bytes are refused (this API is read-only)")
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else { throw APIError(status: 400, message: "Content-Length is not a number") }
            if length > options.maxRequestBodyBytes { throw tooLarge }
        }
        if request.headers[.transferEncoding] != nil {
            do { _ = try await request.collectBody(upTo: options.maxRequestBodyBytes) } catch { throw tooLarge }
        }
    }

    /// The response of a route whose parameters were checked.
    func answer(_ route: APIRoute, _ query: QueryParameters) async throws -> Response {
        switch route {
        case .latest:
            return Self.json(try await latestEntry().json)
        case .divergence:
            guard query["as_of"] != nil else { return Self.json(try await latestEntry().json) }
            let asOf = try query.asOf(default: now())
            let report = try await work.run { [config, store] in try ReportBuilder(config: config, store: store).build(asOf: asOf) }
            return Self.json(ReportRendering.json(report))
        case .bullishness:
            let asOf = try query.asOf(default: now())
            let report = try await work.run { [config, store] in try ReportBuilder(config: config, store: store).build(asOf: asOf) }
            return Self.json(ReportRendering.bullishnessJSON(report.snapshot))
        case .technicals:
            let asOf = try query.asOf(default: now())
            let snapshot = try await work.run { [config, store] in try MarketQueries(config: config, store: store).technicals(asOf: asOf) }
            guard let snapshot else { throw APIError(status: 404, message: "no price data in the store at \(asOf.formatted(.iso8601))") }
            return Self.json(TechnicalsRendering.json(snapshot))
        case .history:
            return try await history(query)
        case .documents:
            return try await documents(query)
        case .metrics:
            return try await metrics()
        case .healthz:
            return try await health()
        case .openapi:
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
        case .dashboard:
            return Self.html(Dashboard.page)
        case .chart:
            return try await chart(query)
        case .sources:
            return try await sources()
        case .login:
            throw APIError(status: 405, message: "/login takes the login form by POST")
        }
    }

    /// The chart's data (`divergence.chart/1`): `to` defaults to the last stored price day, `from` to a year before;
    /// `step` defaults to 1w past 400 days, else 1d.
    func chart(_ query: QueryParameters) async throws -> Response {
        let lastPrice = try await work.run { [store] in try store.lastDay(series: "btc_usd") }
        guard let to = try query.day("to") ?? lastPrice else { throw APIError(status: 404, message: "no price data in the store to chart") }
        let from = try query.day("from") ?? to.adding(days: -365)
        guard from < to else { throw APIError.badParameter("from", "\(from.iso) is not before 'to' \(to.iso)") }
        let step: HistoryStep
        if let text = query["step"] {
            guard let parsed = HistoryStep(rawValue: text) else { throw APIError.badParameter("step", "'\(QueryParameters.printable(text))' is not 1d or 1w") }
            step = parsed
        } else {
            step = ChartData.defaultStep(from: from, to: to)
        }
        let points = from.days(to: to) / (step == .day ? 1 : 7) + 1
        guard points <= options.maxHistoryPoints else {
            throw APIError.badParameter("from", "the range \(from.iso)…\(to.iso) holds \(points) points at step \(step.rawValue); at most \(options.maxHistoryPoints)")
        }
        let data = try await work.run { [config, store] in try ChartData.load(config: config, store: store, from: from, to: to, step: step) }
        return Self.json(try ChartJSON(data).encoded() + "\n")
    }

    /// Every source with its fetch status and the age of its last success, and each market series' last day.
    func sources() async throws -> Response {
        let instant = now()
        let (stored, lastPrice, lastHashrate) = try await work.run { [store] in
            (try store.sources(), try store.lastDay(series: "btc_usd"), try store.lastDay(series: "hashrate_ehs"))
        }
        let today = UTCDay(containing: instant)
        let document = SourcesDocument(
            schema: "divergence.sources/1", now: instant,
            sources: stored.map { source in
                SourcesDocument.Source(name: source.name, location: source.location, kind: source.kind.rawValue, lastStatus: source.lastStatus,
                                       lastError: source.lastError, consecutiveFailures: source.consecutiveFailures, lastSuccess: source.lastSuccess,
                                       nextFetch: source.nextFetch, disabled: source.disabled,
                                       ageSeconds: source.lastSuccess.map { max(0, instant.timeIntervalSince($0)) })
            },
            series: [("btc_usd", lastPrice), ("hashrate_ehs", lastHashrate)].map { name, day in
                SourcesDocument.Series(series: name, lastDay: day?.iso, ageDays: day.map { $0.days(to: today) })
            })
        return Self.json(Self.encode(document))
    }

    /// The latest report, from the cache while the store is unchanged and the entry younger than the TTL.
    func latestEntry() async throws -> LatestReportCache.Entry {
        let version = try await sharedChanges?.current() ?? changes.current()
        return try await latest.entry(version: version) { [self] in
            let started = ContinuousClock.now
            let asOf = now()
            // Built and rendered on a store worker thread: the cooperative threads keep answering from the cache meanwhile.
            let (report, json) = try await work.run { [config, store] in
                let report = try ReportBuilder(config: config, store: store).build(asOf: asOf)
                return (report, ByteBuffer(string: ReportRendering.json(report)))
            }
            return LatestReportCache.Entry(version: version, computedAt: started, report: report, json: json)
        }
    }

    /// `from` (default: 90 days before `to`), `to` (default: yesterday, UTC), `step` `1d` or `1w`; never persisted.
    func history(_ query: QueryParameters) async throws -> Response {
        let step: HistoryStep
        if let text = query["step"] {
            guard let parsed = HistoryStep(rawValue: text) else { throw APIError.badParameter("step", "'\(QueryParameters.printable(text))' is not 1d or 1w") }
            step = parsed
        } else {
            step = .day
        }
        let to = try query.day("to") ?? UTCDay(containing: now()).adding(days: -1)
        let from = try query.day("from") ?? to.adding(days: -90)
        guard from <= to else { throw APIError.badParameter("from", "\(from.iso) is after 'to' \(to.iso)") }
        let points = from.days(to: to) / (step == .day ? 1 : 7) + 1
        guard points <= options.maxHistoryPoints else {
            throw APIError.badParameter("from", "the range \(from.iso)…\(to.iso) holds \(points) points at step \(step.rawValue); at most \(options.maxHistoryPoints)")
        }
        let history = try await work.run { [config, store] in try HistoryBuilder(config: config, store: store).history(from: from, to: to, step: step, persist: false) }
        let document = HistoryDocument(schema: "divergence.history/1", from: from.iso, to: to.iso, step: step.rawValue, points: history)
        return Self.json(Self.encode(document))
    }

    /// Documents knowable at or after `since` (a date means the start of that UTC day), newest first.
    func documents(_ query: QueryParameters) async throws -> Response {
        let since = try query.startInstant("since")
        let limit = try query.integer("limit", in: 1...options.maxDocuments) ?? options.defaultDocuments
        let documents = try await work.run { [store] in try store.documents(since: since ?? .distantPast, limit: limit) }
        let document = DocumentsDocument(schema: "divergence.documents/1", since: since, limit: limit, count: documents.count, documents: documents)
        return Self.json(Self.encode(document))
    }

    /// Prometheus text: the latest report's scores, store counts, sources, ingest counters and this server's requests.
    func metrics() async throws -> Response {
        let entry = try await latestEntry()
        let (sources, ingest) = try await work.run { [store] in (try store.sources(), try store.ingestMetrics()) }
        let text = PrometheusRendering.text(entry.report, sources: sources, ingest: ingest, additional: serverFamilies())
        return Response(status: .ok, headers: [.contentType: PrometheusRendering.contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The server's own counters: requests by route and status, latest-report cache hits and computations.
    func serverFamilies() -> [PrometheusFamily] {
        let counts = requests.withLock { $0 }.sorted { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }
        let cache = latest.counts
        return [
            PrometheusFamily(name: "divergence_http_requests_total", help: "HTTP requests answered, by route (other for unknown paths) and status code.", kind: .counter,
                             samples: counts.map { .init(labels: [.init("route", $0.key.route), .init("code", String($0.key.status))], value: Double($0.value)) }),
            PrometheusFamily(name: "divergence_latest_report_cache_hits_total", help: "Latest-report requests answered from the cache.", kind: .counter,
                             samples: [.init(value: Double(cache.hits))]),
            PrometheusFamily(name: "divergence_latest_report_computations_total", help: "Latest-report computations (store changed or TTL expired).", kind: .counter,
                             samples: [.init(value: Double(cache.computations))]),
        ]
    }

    /// 200 when the store answers, 503 otherwise; never needs the token.
    func health() async throws -> Response {
        do {
            _ = try changes.current()
            return Self.json(#"{"status": "ok"}"# + "\n")
        } catch {
            logger.error("health check failed", metadata: ["error": "\(error)"])
            return Self.json(#"{"error": "the store cannot be read", "status": "unavailable"}"# + "\n", status: .serviceUnavailable)
        }
    }

    // MARK: Encoding

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        json(ByteBuffer(string: text), status: status)
    }

    static func json(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: jsonHeaders, body: .init(byteBuffer: buffer))
    }

    /// The headers of every JSON answer, built once.
    static let jsonHeaders: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .contentSecurityPolicy: Dashboard.contentSecurityPolicy, .xContentTypeOptions: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ error: APIError) -> Response {
        var body = JSONWriter(capacity: 128)
        body.raw("{\"error\":")
        body.string(error.message)
        body.raw("}\n")
        return json(ByteBuffer(bytes: body.bytes), status: HTTPResponse.Status(code: error.status))
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        JSONEncoding.document(value)
    }
}

/// The body of `/v1/history`.
struct HistoryDocument: Encodable {
    var schema: String
    var from: String
    var to: String
    var step: String
    var points: [HistoryPoint]
}

/// The body of `/v1/documents`.
struct DocumentsDocument: Encodable {
    var schema: String
    var since: Date?
    var limit: Int
    var count: Int
    var documents: [StoredDocument]
}

/// The body of `/v1/sources`.
struct SourcesDocument: Encodable {
    struct Source: Encodable {
        var name: String, location: String, kind: String
        var lastStatus: Int?, lastError: String?
        var consecutiveFailures: Int
        var lastSuccess: Date?, nextFetch: Date?
        var disabled: Bool
        /// Seconds since the last success.
        var ageSeconds: Double?
    }
    struct Series: Encodable {
        var series: String
        var lastDay: String?
        /// Whole UTC days from the last stored day to today.
        var ageDays: Int?
    }
    var schema: String
    var now: Date
    var sources: [Source]
    var series: [Series]
}

/// A server started with `APIServer.start()`.
public struct RunningAPIServer: Sendable {
    /// The bound TCP port.
    public let port: Int
    let task: Task<Void, any Error>

    /// Stops accepting, closes connections and waits until the server has shut down.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}
