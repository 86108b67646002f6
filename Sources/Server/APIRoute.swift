/// The API's routes: each path, the query parameters it takes, and whether it needs the bearer token.
public enum APIRoute: String, Sendable, CaseIterable {
    case latest = "/v1/divergence/latest"
    case divergence = "/v1/divergence"
    case history = "/v1/history"
    case technicals = "/v1/technicals"
    case bullishness = "/v1/bullishness"
    case documents = "/v1/documents"
    case metrics = "/metrics"
    case healthz = "/healthz"
    case openapi = "/openapi.json"
    case dashboard = "/"
    case chart = "/v1/chart"
    case sources = "/v1/sources"
    case login = "/login"

    /// The path, e.g. `/v1/history`.
    public var path: String { rawValue }

    /// Query parameters the route accepts; any other is refused with 400.
    public var parameters: [String] {
        switch self {
        case .divergence, .technicals, .bullishness: ["as_of"]
        case .history, .chart: ["from", "to", "step"]
        case .documents: ["since", "limit"]
        case .latest, .metrics, .healthz, .openapi, .dashboard, .sources, .login: []
        }
    }

    /// Scrapers and probes may add parameters of their own: `/metrics` and `/healthz` ignore every parameter.
    public var ignoresParameters: Bool { self == .metrics || self == .healthz }

    /// Every route but `/healthz` and the login form needs the token when one is configured (`/` shows the login form
    /// instead of refusing).
    public var requiresToken: Bool { self != .healthz && self != .login }

    /// The one route that takes a body: the dashboard's login form (POST); every other route is GET/HEAD.
    public var acceptsPost: Bool { self == .login }

    /// The label of the route in the server's own request counters.
    var metricLabel: String { rawValue }
}
